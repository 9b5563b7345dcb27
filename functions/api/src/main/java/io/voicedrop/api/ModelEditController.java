package io.voicedrop.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.service.ModelEditor;
import io.voicedrop.core.view.JobView;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code PATCH /fish/model/{id}}: change a model's title, description, visibility, tags or cover image
 * ({@link EditModelRequest} for the encodings, {@link ModelEditor} for what happens). The id is the model's
 * {@code _id} or the id of the job that made it.
 *
 * <p>Answers: 200 with the model as the catalog now serves it, plus {@code "status": "ok"} (what the official
 * TypeScript SDK's types expect of this call); 400 for a malformed id or {@code api_not_implemented} when the
 * upstream does not offer editing; 404 for an unknown model or another owner's; 409 {@code conflict} while the model
 * is not created yet or is being deleted; 422 for fields that cannot work (every problem in {@code detail}) or the
 * upstream's own refusal; 503 when the upstream could not be reached within {@link #EDIT_BUDGET} (with
 * {@code Retry-After}). Whenever the answer is not 200, nothing was changed.
 */
@Controller(value = "/fish/model")
public class ModelEditController {

    /** How long an edit may spend on the upstream, retries included: inside the function's 29 s. */
    static final Duration EDIT_BUDGET = Duration.ofSeconds(20);

    private final ModelEditor editor;
    private final Clock clock;

    public ModelEditController(ModelEditor editor, Clock clock) {
        this.editor = editor;
        this.clock = clock;
    }

    @Patch(value = "/{id}", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<String> edit(HttpRequest<?> request, @PathVariable("id") String id) {
        String modelId = Requester.checkedId(id);
        String owner = Requester.owner(request);
        EditModelRequest parsed = EditModelRequest.parse(RequestBody.of(request));
        if (!parsed.problems().isEmpty()) {
            throw ApiException.invalid(parsed.problems());
        }
        ModelEditor.Result result = editor.edit(modelId, owner, parsed.change(), clock.instant().plus(EDIT_BUDGET));
        if (result instanceof ModelEditor.Edited e) {
            ObjectNode body = Json.MAPPER.valueToTree(ModelController.forClient(e.model()));
            body.put("status", "ok");
            return Envelope.ok(body);
        }
        throw failure(result);
    }

    private static ApiException failure(ModelEditor.Result result) {
        if (result instanceof ModelEditor.Conflict c) {
            return ApiException.conflict(c.message());
        }
        if (result instanceof ModelEditor.Invalid i) {
            return ApiException.invalid(List.of(new FieldProblem(i.field(), i.message())));
        }
        if (result instanceof ModelEditor.NotOffered n) {
            return ApiException.notOffered("The upstream voice service does not offer editing models (it answered "
                    + n.error().status() + " " + n.error().code() + "); nothing was changed.");
        }
        if (result instanceof ModelEditor.Refused r) {
            UpstreamError e = r.error();
            if (e.isNotFound()) {
                return ApiException.notFound("The model no longer exists upstream; nothing was changed.");
            }
            return ApiException.invalid(List.of(new FieldProblem("body", "The upstream refused the change ("
                    + e.status() + " " + e.code() + "): " + JobView.clean(e.getMessage()) + "; nothing was changed")));
        }
        if (result instanceof ModelEditor.Unavailable u) {
            UpstreamError e = u.error();
            return ApiException.unavailable("The upstream could not be reached in time ("
                    + (e.status() == null ? e.code() : e.status() + " " + e.code()) + "); nothing was changed. Send"
                    + " the same request again later.", e.retryAfter() == null ? 5 : Math.max(1,
                    e.retryAfter().toSeconds()));
        }
        return ApiException.notFound("The model does not exist.");
    }
}
