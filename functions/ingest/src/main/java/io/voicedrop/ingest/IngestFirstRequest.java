package io.voicedrop.ingest;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.OfflineAwsHttp;
import io.voicedrop.wiring.RehearsalContext;
import io.voicedrop.wiring.Wiring;
import java.util.List;

/**
 * The ingest's first request, rehearsed before a SnapStart snapshot ({@link FirstRequest}): the notification of one
 * WAV sample in {@code incoming/}, ingested all the way (header checks, quality check, job written, presigned,
 * enqueued, status report) on the offline clients, so no job, message or report is made anywhere.
 */
public class IngestFirstRequest implements FirstRequest<Wiring> {

    static final String KEY = "incoming/snapstart-priming.wav";

    @Override
    public String handler() {
        return IngestHandler.class.getName();
    }

    @Override
    public void run(Wiring offline) {
        String bucket = offline.config().bucket();
        S3EventNotification.S3EventNotificationRecord record = new S3EventNotification.S3EventNotificationRecord(
                "us-east-1", "ObjectCreated:Put", "aws:s3", "2026-01-01T00:00:00.000Z", "2.1",
                new S3EventNotification.RequestParametersEntity("127.0.0.1"),
                new S3EventNotification.ResponseElementsEntity("priming", "priming"),
                new S3EventNotification.S3Entity("priming",
                        new S3EventNotification.S3BucketEntity(bucket, new S3EventNotification.UserIdentityEntity("priming"),
                                "arn:aws:s3:::" + bucket),
                        new S3EventNotification.S3ObjectEntity(KEY, (long) OfflineAwsHttp.SAMPLE_WAV.length,
                                OfflineAwsHttp.SAMPLE_ETAG, "v1",
                                "0001"),
                        "1.0"),
                new S3EventNotification.UserIdentityEntity("priming"));
        List<IngestResult> results = new IngestHandler(offline).handleRequest(new S3Event(List.of(record)),
                new RehearsalContext());
        if (results.size() != 1 || results.get(0).status() == null) {
            throw new IllegalStateException("the rehearsed upload was not ingested: " + results);
        }
    }
}
