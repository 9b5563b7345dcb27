package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.port.SampleUrlSigner;
import java.time.Duration;

/**
 * {@code GET /models/{id}/preview}: a presigned link, valid {@value #LINK_SECONDS} s, to the spoken preview of the
 * model (the audio the worker stored as {@code status/<upload path>.preview.mp3}); 404 when the model has none (none
 * was asked for, it failed, or it is not made yet: the job's {@code warnings} and {@code preview} say which).
 * Visibility follows the job ({@link ModelProvenance}). The link is a credential: {@code Cache-Control: no-store},
 * never logged.
 */
@Controller(value = "/models", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelPreviewController {

    static final int LINK_SECONDS = 300;

    private final ModelProvenance provenance;
    private final SampleUrlSigner signer;

    public ModelPreviewController(ModelProvenance provenance, SampleUrlSigner signer) {
        this.provenance = provenance;
        this.signer = signer;
    }

    @Get("/{id}/preview")
    public HttpResponse<String> preview(HttpRequest<?> request, @PathVariable("id") String id) {
        ModelProvenance.Found found = provenance.find(id, JobController.owner(request));
        Job job = found.job().orElseThrow(ModelPreviewController::none);
        Preview p = job.preview();
        if (p == null || !Preview.STORED.equals(p.state()) || p.key() == null) {
            throw ApiException.notFound("The model has no spoken preview (see GET /jobs/" + job.jobId() + ").");
        }
        SampleUrlSigner.SignedUrl link = signer.sign(job.bucket(), p.key(), null, Duration.ofSeconds(LINK_SECONDS));
        return Envelope.ok(new PreviewLink(found.entry().model().id(), job.jobId(), link.url(),
                        link.expiresAt().toString(), "audio/mpeg", p.bytes()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static ApiException none() {
        return ApiException.notFound("The model has no spoken preview.");
    }

    /** The answer. The URL is a short-lived credential: never log it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PreviewLink(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                       @JsonProperty("url") String url, @JsonProperty("expires_at") String expiresAt,
                       @JsonProperty("content_type") String contentType, @JsonProperty("bytes") long bytes) {
        @Override
        public String toString() {
            return "PreviewLink[modelId=" + modelId + ", url=<redacted>]";
        }
    }
}
