package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.voicedrop.core.view.JobView;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.service.SampleLinks;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /models/{id}/samples}: the recordings a catalog model was made from, each with a short-lived link
 * ({@link SampleLinks#EXPIRY}) to the exact version ingest checked, for listening in the console
 * ({@code <audio src>}). VoiceDrop's own endpoint, authenticated like the rest; visibility follows the job
 * ({@link ModelProvenance}). The links are credentials, so the answer is {@code Cache-Control: no-store} and no link
 * is ever logged. A model whose job is unknown (made before VoiceDrop kept jobs) answers an empty list.
 */
@Controller(value = "/models", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelSamplesController {

    private final ModelProvenance provenance;
    private final SampleLinks links;
    private final Clock clock;

    public ModelSamplesController(ModelProvenance provenance, SampleLinks links, Clock clock) {
        this.provenance = provenance;
        this.links = links;
        this.clock = clock;
    }

    @Get("/{id}/samples")
    public HttpResponse<String> samples(HttpRequest<?> request, @PathVariable("id") String id) {
        ModelProvenance.Found found = provenance.find(id, JobController.owner(request));
        List<SampleView> samples = found.job().map(links::of).orElse(List.of()).stream()
                .map(l -> new SampleView(l.name(), JobView.clean(l.key()), l.sizeBytes(), l.text(), l.url().url()))
                .toList();
        return Envelope.ok(new Samples(found.entry().model().id(), found.entry().jobId(),
                        clock.instant().plus(SampleLinks.EXPIRY).toString(), samples))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SampleView(@JsonProperty("name") String name, @JsonProperty("key") String key,
                      @JsonProperty("size") long size, @JsonProperty("text") String text,
                      @JsonProperty("url") String url) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Samples(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                   @JsonProperty("expires_at") String expiresAt, @JsonProperty("samples") List<SampleView> samples) {
    }
}
