package io.voicedrop.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.voicedrop.adapters.json.Json;

/**
 * {@code POST /fish/model}: create a voice model, as the official clients (multipart, audio files) and the platform
 * clients (JSON, audio URLs) send it. See {@link CreateModelRequest} for the fields and rules and
 * {@link ModelSubmissions} for what happens.
 *
 * <p>Answer: {@code 201 Created} (as the official API) with a ModelEntity in state {@code created} whose {@code _id}
 * is the job id, {@code Location: /jobs/<job id>} and {@code X-VoiceDrop-Job-Id}. Clients poll
 * {@code GET /fish/model/<_id>} until {@code state} is {@code trained} (the official cookbook) or follow the job.
 * A repeated request (same {@code Idempotency-Key}, or the same content without one, within the idempotency window)
 * answers {@code 200} with the first request's job and {@code Idempotent-Replayed: true}; no second job is made.
 */
@Controller(value = "/fish/model")
public class CreateModelController {

    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ModelSubmissions submissions;

    public CreateModelController(ModelSubmissions submissions) {
        this.submissions = submissions;
    }

    @Post(consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<String> create(HttpRequest<?> request) {
        String owner = request.getAttribute(ApiFilter.OWNER_ATTRIBUTE, String.class)
                .orElseThrow(() -> new IllegalStateException("request reached the controller without a key owner"));
        RequestBody body = RequestBody.of(request);
        CreateModelRequest parsed = CreateModelRequest.parse(body, submissions.maxVoices());
        ModelSubmissions.Outcome outcome = submissions.create(owner, parsed,
                request.getHeaders().get(IDEMPOTENCY_HEADER));
        String jobId = outcome.job().jobId();
        MutableHttpResponse<String> response = HttpResponse.<String>status(
                        outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(Json.write(JobModels.placeholder(outcome.job(), owner)))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.LOCATION, "/jobs/" + jobId)
                .header(JobModels.JOB_ID_HEADER, jobId);
        if (!outcome.created()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response;
    }
}
