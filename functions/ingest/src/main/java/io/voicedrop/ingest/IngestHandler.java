package io.voicedrop.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.wiring.Wiring;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * S3 notification → one {@link UploadIngestor#ingest} per created object. If any object fails (the bucket could
 * not be read, so nothing was decided), the invocation fails after trying the others, so Lambda's asynchronous
 * retry (and then the dead-letter destination) keeps the upload; objects already handled are no-ops on the retry
 * because ingest is idempotent.
 */
public class IngestHandler implements RequestHandler<S3Event, List<IngestResult>> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    /** The {@code service} field of this function's log lines. */
    public static final String SERVICE = "voicedrop-ingest";

    private final UploadIngestor ingestor;

    /** Lambda's init: the components from the environment (and, at a SnapStart init, the priming registered). */
    public IngestHandler() {
        this(SnapStartPriming.onSnapStartInit(Wiring.fromEnvironment(), new IngestFirstRequest()));
    }

    /** The handler on {@code wiring}'s components (tests, the local runner, the priming rehearsal). */
    public IngestHandler(Wiring wiring) {
        this.ingestor = wiring.uploadIngestor();
    }

    @Override
    public List<IngestResult> handleRequest(S3Event event, Context context) {
        LambdaLogContext.capture(context);
        try (LambdaLogContext log = LambdaLogContext.open(SERVICE)) {
            // The invocation's request id is the trace id of everything this invocation decides.
            MDC.put("trace_id", LambdaLogContext.current().map(Context::getAwsRequestId)
                    .orElseGet(() -> java.util.UUID.randomUUID().toString()));
            return ingestAll(S3Notifications.createdObjects(event));
        } finally {
            MDC.remove("trace_id");
        }
    }

    private List<IngestResult> ingestAll(List<UploadedObject> uploads) {
        if (uploads.isEmpty()) {
            // S3 sends an s3:TestEvent (no records) when the notification is configured: nothing to do.
            LOG.info("no created objects in the event; nothing to do");
        }
        List<IngestResult> results = new ArrayList<>();
        RuntimeException firstFailure = null;
        for (UploadedObject upload : uploads) {
            // Known before ingest runs, so every line about the upload's job carries it.
            UploadIngestor.jobIdOf(upload).ifPresent(id -> MDC.put("job_id", id));
            try {
                IngestResult r = ingestor.ingest(upload);
                LOG.info("ingested key={} status={} duplicate={} note={}", r.key(), r.status(), r.duplicate(), r.note());
                results.add(r);
            } catch (RuntimeException e) {
                // The invocation fails and Lambda retries it, then hands the event to the on-failure destination.
                LOG.error("ingest failed for key={}; the event will be retried", upload.key(), e);
                firstFailure = firstFailure == null ? e : firstFailure;
            } finally {
                MDC.remove("job_id");
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return results;
    }
}
