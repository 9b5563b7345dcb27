package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.voicedrop.core.view.JobView;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.QualityReport;
import java.util.List;

/**
 * {@code GET /models/{id}/source}: VoiceDrop's pipeline facts about a catalog model, kept out of the Fish ModelEntity
 * so that no strict client ever sees an unexpected field: the job that made it, the bucket keys of its samples, the
 * title language the catalog filters on, the job's status, and what the quality check heard in the samples. Visibility follows the job ({@link ModelProvenance}).
 */
@Controller(value = "/models", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelSourceController {

    private final ModelProvenance provenance;

    public ModelSourceController(ModelProvenance provenance) {
        this.provenance = provenance;
    }

    @Get("/{id}/source")
    public HttpResponse<String> source(HttpRequest<?> request, @PathVariable("id") String id) {
        ModelProvenance.Found found = provenance.find(id, JobController.owner(request));
        CatalogEntry entry = found.entry();
        return Envelope.ok(new Source(entry.model().id(), entry.jobId(),
                entry.sourceKeys().stream().map(JobView::clean).toList(),
                entry.titleLanguage() == null ? "" : entry.titleLanguage(),
                found.job().map(j -> j.status().name()).orElse(null), found.job().map(JobView::quality).orElse(null)));
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Source(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                  @JsonProperty("source_keys") List<String> sourceKeys,
                  @JsonProperty("title_language") String titleLanguage,
                  @JsonProperty("job_status") String jobStatus,
                  @JsonProperty("quality") QualityReport quality) {
    }
}
