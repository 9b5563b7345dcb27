package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.core.service.UploadLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes {@code status/<upload path>.json} next to the user's upload so someone with only bucket access can follow it.
 * The report holds no URL or token. A failed report is logged, not fatal: the job record stays the truth.
 */
public final class S3StatusReporter implements StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(S3StatusReporter.class);

    private final S3Client s3;

    public S3StatusReporter(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void report(Job job) {
        if (job.sourceKeys().isEmpty()) {
            return;
        }
        String key = UploadLayout.statusKey(job.sourceKeys().get(job.sourceKeys().size() - 1));
        try {
            s3.putObject(b -> b.bucket(job.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromString(Json.write(reportOf(job))));
        } catch (RuntimeException e) {
            LOG.warn("could not write status report {}: {}", key, e.toString());
        }
    }

    static Map<String, Object> reportOf(Job job) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (job.status() == JobStatus.DELETED) {
            // The voice was erased: the report says so and names nothing about the recordings.
            r.put("job_id", job.jobId());
            r.put("status", job.status().name());
            r.put("model_id", job.modelId());
            r.put("deleted_at", job.updatedAt());
            r.put("note", "This voice was deleted: its model upstream, its samples, its catalog entry and the details"
                    + " of its job were erased.");
            return r;
        }
        r.put("job_id", job.jobId());
        r.put("status", job.status().name());
        r.put("title", job.spec().title());
        r.put("source_keys", job.sourceKeys());
        r.put("model_id", job.modelId());
        r.put("attempts", job.attempts());
        r.put("error", job.error());
        r.put("warnings", job.warnings());
        r.put("reasons", job.reasons());
        r.put("preview", previewOf(job));
        r.put("updated_at", job.updatedAt());
        r.put("quality", job.quality());
        return r;
    }

    /** Where the spoken preview is (a key in this bucket), once it is stored; null before or without one. */
    static Map<String, Object> previewOf(Job job) {
        if (job.preview() == null) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("state", job.preview().state());
        p.put("key", job.preview().key());
        p.put("bytes", job.preview().key() == null ? null : job.preview().bytes());
        return p;
    }
}
