package io.voicedrop.adapters.aws;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.PreviewStore;
import io.voicedrop.core.service.UploadLayout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Spoken previews in the bucket: {@code status/<upload path>.preview.mp3}, beside the status report. */
public final class S3PreviewStore implements PreviewStore {

    private final S3Client s3;

    public S3PreviewStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public String store(Job job, byte[] audio) {
        String key = UploadLayout.previewKey(job.sourceKeys().get(job.sourceKeys().size() - 1));
        s3.putObject(b -> b.bucket(job.bucket()).key(key).contentType("audio/mpeg"), RequestBody.fromBytes(audio));
        return key;
    }
}
