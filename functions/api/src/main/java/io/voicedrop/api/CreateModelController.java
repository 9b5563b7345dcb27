package io.voicedrop.api;

import io.micronaut.http.HttpHeaders;
import io.voicedrop.core.view.JobView;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /fish/model}: create a voice model, as the official clients (multipart, audio files) and the platform
 * clients (JSON, audio URLs) send it. See {@link CreateModelRequest} for the fields and rules,
 * {@link ModelSubmissions} for what happens before the job exists and {@link CreateWait} for the wait after.
 *
 * <p>Answers:
 * <ul>
 *   <li>{@code 201 Created} with the upstream's ModelEntity, as the official API answers, when the worker created
 *       the model within {@link ApiSettings#createWait()}; {@code Location: /fish/model/<_id>};</li>
 *   <li>{@code 202 Accepted} with the job ({@code GET /jobs/{id}}'s body) and {@code Location: /jobs/<job id>} when
 *       it is still on its way (VoiceDrop's extension: the create is queued and will happen once);</li>
 *   <li>the error envelope when the input cannot work (400, 413, 415, 422, nothing stored or billed), or when the
 *       job ended without a model within the wait (the upstream's 4xx refusal, or 500 after every attempt).</li>
 * </ul>
 * Every answer about a job carries {@code X-VoiceDrop-Job-Id}. A repeated request (same {@code Idempotency-Key}, or
 * the same content without one, within the idempotency window) gets the first request's job, waited for the same
 * way, and {@code Idempotent-Replayed: true}: never a second job.
 */
@Controller(value = "/fish/model")
public class CreateModelController {

    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ModelSubmissions submissions;
    private final CreateWait wait;
    private final ApiSettings settings;
    private final Clock clock;

    public CreateModelController(ModelSubmissions submissions, CreateWait wait, ApiSettings settings, Clock clock) {
        this.submissions = submissions;
        this.wait = wait;
        this.settings = settings;
        this.clock = clock;
    }

    @Post(consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<String> create(HttpRequest<?> request) {
        Instant arrivedAt = clock.instant();
        String owner = request.getAttribute(ApiFilter.OWNER_ATTRIBUTE, String.class)
                .orElseThrow(() -> new IllegalStateException("request reached the controller without a key owner"));
        CreateModelRequest parsed = CreateModelRequest.parse(RequestBody.of(request), submissions.maxVoices());
        ModelSubmissions.Outcome outcome = submissions.create(owner, parsed,
                request.getHeaders().get(IDEMPOTENCY_HEADER), arrivedAt);
        CreateWait.Result result = wait.until(outcome.job(), arrivedAt.plus(settings.createWait()));
        MutableHttpResponse<String> response;
        if (result instanceof CreateWait.Created c) {
            response = HttpResponse.<String>status(HttpStatus.CREATED).body(Json.write(c.model()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.LOCATION, "/fish/model/" + c.model().id());
        } else if (result instanceof CreateWait.Pending p) {
            response = HttpResponse.<String>status(HttpStatus.ACCEPTED).body(Json.write(JobView.of(p.job())))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.LOCATION, "/jobs/" + p.job().jobId())
                    .header(HttpHeaders.RETRY_AFTER, "5");
        } else {
            response = failure(request, result.job());
        }
        response.header(JobModels.JOB_ID_HEADER, result.job().jobId());
        if (outcome.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response;
    }

    /**
     * A job that ended without a model: the upstream's own refusal keeps its status (400, 404, 422: this input can
     * never work, so retrying is pointless); anything else (every attempt failed) is the platform's 500
     * {@code api_error}. The message never carries a URL (the upstream may quote the presigned sample URL).
     */
    private static MutableHttpResponse<String> failure(HttpRequest<?> request, Job job) {
        if (job.status() == JobStatus.CANCELLED || job.status() == JobStatus.DELETED) {
            return Envelope.error(request, HttpStatus.CONFLICT, "conflict", "The job was " + job.status()
                    .name().toLowerCase(java.util.Locale.ROOT) + " before it created a model.")
                    .header(HttpHeaders.LOCATION, "/jobs/" + job.jobId());
        }
        JobError error = job.error() == null ? JobError.of("api_error", "the job failed") : job.error();
        String message = JobView.clean(error.message());
        Integer upstream = error.httpStatus();
        HttpStatus refusal = job.status() == JobStatus.REJECTED ? HttpStatus.UNPROCESSABLE_ENTITY
                : upstream != null && (upstream == 400 || upstream == 404 || upstream == 422)
                ? HttpStatus.valueOf(upstream) : null;
        MutableHttpResponse<String> response = refusal != null
                ? Envelope.error(request, refusal, "bad_request", "The upstream refused the model: " + message)
                : Envelope.error(request, HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                        "The model could not be created: " + message + ". Details: GET /jobs/" + job.jobId());
        return response.header(HttpHeaders.LOCATION, "/jobs/" + job.jobId());
    }
}
