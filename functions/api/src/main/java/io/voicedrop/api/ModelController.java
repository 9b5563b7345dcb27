package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.ListQueryParser;
import java.util.List;

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
 * <p>{@code GET /fish/model/{id}}: one ModelEntity, or 404 {@code not_found}.
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

    public ModelController(ModelCatalog catalog) {
        this.catalog = catalog;
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
        return Envelope.ok(new ModelList(page.total(), page.items().stream().map(ModelController::forClient).toList()));
    }

    @Get("/{id}")
    public HttpResponse<String> get(@PathVariable("id") String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        ModelEntity model = catalog.find(id).map(CatalogEntry::model).orElseThrow(ModelController::notFound);
        return Envelope.ok(forClient(model));
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

    /** The list answer of reference section 4.2. */
    record ModelList(@JsonProperty("total") long total, @JsonProperty("items") List<ModelEntity> items) {
    }
}
