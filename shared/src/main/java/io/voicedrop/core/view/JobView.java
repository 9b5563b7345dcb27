package io.voicedrop.core.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.model.UrlRedaction;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /jobs/{id}} shows of a {@link Job}, and what a webhook delivers when the job ends: snake_case,
 * every field always present (null when unset), timestamps as ISO-8601 strings. It never contains a URL: samples
 * (whose presigned URLs are secrets) and the {@code callback_url} are left out, and any URL or presigning parameter
 * that slipped into a free-text field (e.g. an upstream error message quoting the sample URL it could not fetch) is
 * replaced by {@code [url removed]}. The spoken preview is named by its bucket key and its API path
 * ({@code GET /models/{id}/preview} answers a short-lived link).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobView(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("status") String status,
        @JsonProperty("title") String title,
        @JsonProperty("source_keys") List<String> sourceKeys,
        @JsonProperty("model_id") String modelId,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("history") List<AttemptView> history,
        @JsonProperty("error") ErrorView error,
        @JsonProperty("warnings") List<String> warnings,
        @JsonProperty("reasons") List<String> reasons,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("next_attempt_at") String nextAttemptAt,
        @JsonProperty("preview") PreviewView preview,
        @JsonProperty("quality") QualityReport quality,
        @JsonProperty("target_job_id") String targetJobId) {

    public static final String REDACTED = UrlRedaction.REDACTED;

    public static JobView of(Job job) {
        return new JobView(
                clean(job.jobId()),
                job.status() == null ? null : job.status().name(),
                clean(job.spec() == null ? "" : job.spec().title()),
                job.sourceKeys().stream().map(JobView::clean).toList(),
                clean(job.modelId()),
                job.attempts(),
                job.history().stream().map(AttemptView::of).toList(),
                ErrorView.of(job.error()),
                job.warnings().stream().map(JobView::clean).toList(),
                job.reasons().stream().map(JobView::clean).toList(),
                time(job.createdAt()),
                time(job.updatedAt()),
                time(job.nextAttemptAt()),
                PreviewView.of(job),
                quality(job),
                job.targetJobId() == null || job.targetJobId().isEmpty() ? null : clean(job.targetJobId()));
    }

    /** The job's quality report, sample names cleaned like every other free text here. */
    public static QualityReport quality(Job job) {
        return job.quality() == null ? null : job.quality().withNames(JobView::clean);
    }

    /** Removes URLs and presigning parameters from free text ({@link UrlRedaction}). */
    public static String clean(String text) {
        return UrlRedaction.clean(text);
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * The spoken preview: {@code state} ({@code requested}, {@code answered}, {@code stored}, {@code failed}), and
     * once stored its bucket key, size and the API path that answers a short-lived link to it.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PreviewView(
            @JsonProperty("state") String state,
            @JsonProperty("key") String key,
            @JsonProperty("bytes") Long bytes,
            @JsonProperty("path") String path) {

        static PreviewView of(Job job) {
            Preview p = job.preview();
            if (p == null) {
                return null;
            }
            boolean stored = Preview.STORED.equals(p.state()) && p.key() != null;
            return new PreviewView(clean(p.state()), stored ? clean(p.key()) : null, stored ? p.bytes() : null,
                    stored && job.modelId() != null ? "/models/" + clean(job.modelId()) + "/preview" : null);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AttemptView(
            @JsonProperty("at") String at,
            @JsonProperty("operation") String operation,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("http_status") Integer httpStatus,
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("latency_ms") long latencyMs,
            @JsonProperty("trace_id") String traceId) {

        static AttemptView of(Attempt a) {
            return new AttemptView(time(a.at()), clean(a.operation()), clean(a.outcome()), a.httpStatus(),
                    clean(a.code()), clean(a.message()), a.latencyMs(), clean(a.traceId()));
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ErrorView(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("http_status") Integer httpStatus,
            @JsonProperty("trace_id") String traceId) {

        static ErrorView of(JobError e) {
            return e == null ? null
                    : new ErrorView(clean(e.code()), clean(e.message()), e.httpStatus(), clean(e.traceId()));
        }
    }

    /** The answer of {@code GET /jobs}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(@JsonProperty("items") List<JobView> items, @JsonProperty("next_cursor") String nextCursor) {
    }
}
