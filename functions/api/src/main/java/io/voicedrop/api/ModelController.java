package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.ListQueryParser;
import java.util.List;
import java.util.Optional;

/**
 * The Fish-compatible model API (reference sections 4, 5 and 6), as the Ace Data Cloud proxy serves it under
 * {@code /fish/model}.
 *
 * <p>{@code GET /fish/model}: parameters as parsed by {@link ListQueryParser} ({@code page_size}, {@code page_number},
 * {@code title}, {@code tag} / {@code tag[]}, {@code self}, {@code author_id}, {@code language},
 * {@code title_language}, {@code sort_by}); repeats are read from the raw query string ({@link QueryParams}).
 * Answer: {@code {"total": N, "items": [ModelEntity...]}}, {@code total} counting every match. <b>Order:</b>
 * {@code sort_by} is validated ({@code score}, {@code task_count} or {@code created_at}) but items always come newest
 * first ({@code created_at} descending, ties by {@code _id} descending), which is how the catalog is indexed.
 * An invalid parameter is a 400 {@code bad_request} envelope naming the parameter.
 *
 * <p>{@code GET /fish/model/{id}}: one ModelEntity, or 404 {@code not_found}. The id may also be a job id (the
 * {@code _id} that {@code POST /fish/model} answered), for a job the key may see: the model once it exists, before
 * that the job as a ModelEntity ({@link JobModels}). The answer carries {@code X-VoiceDrop-Job-Id} when the job is
 * known; pipeline details are at {@code GET /models/{id}/source}, never inside the entity.
 *
 * <p>Items are {@link ModelEntity} records written by the shared Jackson mapper, so every field the strict
 * Python SDK requires is present and never null. VoiceDrop's own job marker tag (see
 * {@link JobRunner#markerTag(String)}) is removed from {@code tags}: it is bookkeeping, not the user's data.
 * {@code Accept} is not negotiated: answers are always JSON (a client asking for msgpack gets JSON, not a 406).
 */
@Controller(value = "/fish/model", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelController {

    private static final String MARKER_PREFIX = JobRunner.markerTag("");
    private static final int MAX_ID_LENGTH = 200;

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobAccess access;

    public ModelController(ModelCatalog catalog, JobStore jobs, JobAccess access) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.access = access;
    }

    @Get
    public HttpResponse<String> list(HttpRequest<?> request) {
        ListQuery query;
        try {
            query = ListQueryParser.parse(QueryParams.of(request));
        } catch (ListQueryParser.InvalidQuery e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ModelPage page = catalog.list(query);
        long offset = (long) (query.pageNumber() - 1) * query.pageSize();
        boolean hasMore = page.maxOffset() != null
                ? offset + page.items().size() < Math.min(page.total(), page.maxOffset())
                : offset + page.items().size() < page.total();
        return Envelope.ok(new ModelList(page.total(), page.items().stream().map(ModelController::forClient).toList(),
                hasMore, page.totalIsExact(), page.maxOffset() != null, page.maxOffset()));
    }

    @Get("/{id}")
    public HttpResponse<String> get(HttpRequest<?> request, @PathVariable("id") String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        Optional<CatalogEntry> entry = catalog.find(id);
        if (entry.isPresent()) {
            MutableHttpResponse<String> r = Envelope.ok(forClient(entry.get().model()));
            if (entry.get().jobId() != null) {
                r.header(JobModels.JOB_ID_HEADER, entry.get().jobId());
            }
            return r;
        }
        String owner = JobController.owner(request);
        Job job = jobs.find(id).filter(j -> access.canSee(j, owner)).orElseThrow(ModelController::notFound);
        ModelEntity model = job.modelId() == null ? null
                : catalog.find(job.modelId()).map(CatalogEntry::model).orElse(null);
        return Envelope.ok(forClient(model != null ? model : JobModels.placeholder(job, owner)))
                .header(JobModels.JOB_ID_HEADER, job.jobId());
    }

    private static ApiException notFound() {
        return ApiException.notFound("The model does not exist.");
    }

    static ModelEntity forClient(ModelEntity model) {
        if (model.tags().stream().noneMatch(t -> t.startsWith(MARKER_PREFIX))) {
            return model;
        }
        return model.withTags(model.tags().stream().filter(t -> !t.startsWith(MARKER_PREFIX)).toList());
    }

    /**
     * The list answer of reference section 4.2: {@code total} and {@code items}, plus the optional pagination hints
     * of the current official spec (clients ignore them): {@code has_more}, {@code total_is_exact},
     * {@code window_limited} and, when limited, {@code max_offset}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelList(@JsonProperty("total") long total, @JsonProperty("items") List<ModelEntity> items,
                     @JsonProperty("has_more") boolean hasMore, @JsonProperty("total_is_exact") boolean totalIsExact,
                     @JsonProperty("window_limited") boolean windowLimited,
                     @JsonProperty("max_offset") Long maxOffset) {
    }
}
