package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.core.view.JobView;
import java.time.Clock;

/**
 * {@code DELETE /fish/model/{id}}: delete a model upstream and erase what VoiceDrop keeps of it (the catalog entry,
 * the samples in the bucket, the details of its job), as a job of the worker ({@link ModelDeletion}). The id is the
 * model's {@code _id} or the id of the job that made it (or is still making it: the create is cancelled, or, past
 * its billable call, deleted once it lands).
 *
 * <p>Answers, after waiting up to {@link ApiSettings#createWait()} for the deletion job:
 * <ul>
 *   <li>200 {@code {"status": "ok", "model_id": ..., "job": {...}}}: done (a superset of the {@code {"status":"ok"}}
 *       the official TypeScript SDK expects);</li>
 *   <li>202 {@code {"status": "pending", ...}} with {@code Location: /jobs/<deletion job>}: still on its way (it
 *       is queued and will finish; waiting for a create in flight, or backing off from the upstream);</li>
 *   <li>400 malformed id, or {@code api_not_implemented} when the upstream does not offer deleting (nothing was
 *       deleted or erased); 404 unknown model or job, or another owner's; 422 the upstream refused the delete; 500
 *       every attempt failed (the next DELETE starts the deletion again).</li>
 * </ul>
 * Every answer about a deletion carries {@code X-VoiceDrop-Job-Id} (the deletion job).
 */
@Controller(value = "/fish/model")
public class ModelDeleteController {

    private final ModelDeletion deletion;
    private final CreateWait wait;
    private final ApiSettings settings;
    private final Clock clock;

    public ModelDeleteController(ModelDeletion deletion, CreateWait wait, ApiSettings settings, Clock clock) {
        this.deletion = deletion;
        this.wait = wait;
        this.settings = settings;
        this.clock = clock;
    }

    @Delete(value = "/{id}", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<String> delete(HttpRequest<?> request, @PathVariable("id") String id) {
        String checked = Requester.checkedId(id);
        ModelDeletion.Result result = deletion.request(checked, Requester.owner(request), Requester.describe(request));
        if (!(result instanceof ModelDeletion.Requested requested)) {
            throw ApiException.notFound("The model does not exist.");
        }
        Job job = wait.untilEnded(requested.deletion(), clock.instant().plus(settings.createWait()));
        MutableHttpResponse<String> response;
        if (job.status() == JobStatus.DELETED) {
            response = HttpResponse.<String>ok(Json.write(new Deletion("ok", job.modelId(), JobView.of(job))))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        } else if (job.status() == JobStatus.FAILED) {
            response = failure(request, job);
        } else {
            response = HttpResponse.<String>status(HttpStatus.ACCEPTED)
                    .body(Json.write(new Deletion("pending", job.modelId(), JobView.of(job))))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, "5");
        }
        return response.header(HttpHeaders.LOCATION, "/jobs/" + job.jobId())
                .header(JobModels.JOB_ID_HEADER, job.jobId());
    }

    private static MutableHttpResponse<String> failure(HttpRequest<?> request, Job job) {
        JobError error = job.error() == null ? JobError.of("api_error", "the deletion failed") : job.error();
        String message = JobView.clean(error.message());
        if ("api_not_implemented".equals(error.code())) {
            return Envelope.error(request, HttpStatus.BAD_REQUEST, "api_not_implemented", message);
        }
        Integer upstream = error.httpStatus();
        if (upstream != null && (upstream == 400 || upstream == 422)) {
            return Envelope.error(request, HttpStatus.UNPROCESSABLE_ENTITY, "bad_request",
                    "The upstream refused the delete: " + message + "; nothing was erased");
        }
        return Envelope.error(request, HttpStatus.INTERNAL_SERVER_ERROR, "api_error", "The model could not be"
                + " deleted: " + message + ". Nothing was erased; DELETE again to retry. Details: GET /jobs/"
                + job.jobId());
    }

    /** The answer of a delete: done ({@code ok}) or on its way ({@code pending}), with the deletion job. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Deletion(@JsonProperty("status") String status, @JsonProperty("model_id") String modelId,
                    @JsonProperty("job") JobView job) {
    }
}
