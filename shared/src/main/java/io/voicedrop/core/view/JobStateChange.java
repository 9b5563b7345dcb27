package io.voicedrop.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.service.UploadLayout;
import java.util.List;
import java.util.Optional;

/**
 * The {@code detail} of a "VoiceDrop Job State Change" event (source {@code voicedrop}), published once for every
 * change of a job's status; its JSON Schema is {@code docs/job-state-change.schema.json}. Statuses are carried by
 * name, whatever they are ({@link JobStatus} grows, e.g. with lifecycle states): nothing here enumerates them.
 * Free text (reasons, the error) is cleaned of URLs like the job view; no presigned URL or {@code callback_url} is
 * ever part of an event.
 *
 * @param eventId        stable per transition ({@code <job id>:<version>}): a consumer that may see an event twice
 *                       (EventBridge delivers at least once) can drop repeats by it
 * @param previousStatus null for a job's first state
 * @param terminal       true when the job will not run again ({@link JobStatus#isTerminal()})
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobStateChange(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") String status,
        @JsonProperty("previous_status") String previousStatus,
        @JsonProperty("terminal") boolean terminal,
        @JsonProperty("upload") Upload upload,
        @JsonProperty("model_id") String modelId,
        @JsonProperty("title") String title,
        @JsonProperty("reasons") List<String> reasons,
        @JsonProperty("error") JobView.ErrorView error,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("preview_key") String previewKey,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static final String SOURCE = "voicedrop";
    public static final String DETAIL_TYPE = "VoiceDrop Job State Change";

    /**
     * Where the job came from: {@code bucket} plus either {@code key} (a single-file upload) or {@code folder} (a
     * folder with {@code model.json}, or the {@code uploads/<job id>/} folder of a {@code POST /fish/model}).
     *
     * @param origin {@code bucket} (dropped under {@code incoming/}) or {@code api}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Upload(@JsonProperty("bucket") String bucket, @JsonProperty("key") String key,
                         @JsonProperty("folder") String folder, @JsonProperty("origin") String origin) {
    }

    /** The event for the step from {@code before} (null for a new job) to {@code after}, if the status changed. */
    public static Optional<JobStateChange> between(Job before, Job after) {
        if (after == null || after.status() == null || (before != null && before.status() == after.status())) {
            return Optional.empty();
        }
        JobView view = JobView.of(after);
        String previewKey = after.preview() != null && Preview.STORED.equals(after.preview().state())
                ? after.preview().key() : null;
        return Optional.of(new JobStateChange(after.jobId() + ":" + after.version(), view.jobId(), view.status(),
                before == null || before.status() == null ? null : before.status().name(), after.status().isTerminal(),
                uploadOf(after), view.modelId(), view.title(), view.reasons(), view.error(), after.attempts(),
                previewKey, view.createdAt(), view.updatedAt()));
    }

    /** True for the step into a terminal status: the moment a job's webhook is sent. */
    public static boolean ended(Job before, Job after) {
        return after != null && after.status() != null && after.status().isTerminal()
                && (before == null || before.status() == null || !before.status().isTerminal());
    }

    private static Upload uploadOf(Job job) {
        if (job.sourceKeys().isEmpty()) {
            return new Upload(job.bucket(), null, null, "bucket");
        }
        String last = job.sourceKeys().get(job.sourceKeys().size() - 1);
        switch (UploadLayout.classify(last)) {
            case SINGLE_FILE:
                return new Upload(job.bucket(), last, null, "bucket");
            case FOLDER_MANIFEST:
            case FOLDER_FILE:
                return new Upload(job.bucket(), null, UploadLayout.folderPrefix(last), "bucket");
            default:
                int slash = last.indexOf('/', last.indexOf('/') + 1);
                return new Upload(job.bucket(), null, slash > 0 ? last.substring(0, slash + 1) : last, "api");
        }
    }
}
