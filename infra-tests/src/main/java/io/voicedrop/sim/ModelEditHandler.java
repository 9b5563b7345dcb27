package io.voicedrop.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code PATCH} and {@code DELETE /fish/model/{id}} with Fish's semantics (contract section 5): only the model's
 * author may change or delete it (anyone else, and an unknown id, get 404 {@code not_found}); success is 200
 * {@code {"status":"ok"}}, the body the official TypeScript SDK assumes. Order as for a create: count,
 * authenticate, check the operation is offered ({@link FishSimulator.EditOffer}: the platform proxy may not offer
 * these at all), apply a scripted fault, then do it; a Hold or Drop step applies after the change was made.
 */
final class ModelEditHandler {

    private final FishSimulator sim;

    ModelEditHandler(FishSimulator sim) {
        this.sim = sim;
    }

    Router.Outcome update(HttpExchange ex, String id, byte[] body, FishSimulator.Settings settings) {
        sim.updateCalls.incrementAndGet();
        sim.updateBodies.add(new String(body, StandardCharsets.UTF_8));
        return handle(ex, Faults.Operation.UPDATE, settings, author -> {
            UpdateRequest req = UpdateRequest.parse(body, ex.getRequestHeaders().getFirst("Content-Type"));
            Instant now = settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
            return sim.store.update(id, author, m -> m.edited(req.title(), req.description(), req.visibility(),
                            req.tags(), req.coverImage(), now))
                    .map(m -> ok())
                    .orElseGet(() -> notFound(id));
        });
    }

    Router.Outcome delete(HttpExchange ex, String id, FishSimulator.Settings settings) {
        sim.deleteCalls.incrementAndGet();
        return handle(ex, Faults.Operation.DELETE, settings,
                author -> sim.store.remove(id, author) ? ok() : notFound(id));
    }

    private Router.Outcome handle(HttpExchange ex, Faults.Operation op, FishSimulator.Settings settings,
                                  java.util.function.Function<String, Reply> action) {
        String author = Router.authorize(ex, settings);
        Reply notOffered = settings.edits().reply(ex.getRequestMethod(), ex.getRequestURI().getPath());
        if (notOffered != null) {
            return new Router.Outcome(notOffered, null);
        }
        Faults.Step step = sim.faults.nextStep(op);
        if (step instanceof Faults.Fail fail) {
            return new Router.Outcome(fail.reply(settings.retryAfterHeader()), null);
        }
        try {
            return new Router.Outcome(action.apply(author), step);
        } catch (Reply.Rejected rejected) {
            return new Router.Outcome(rejected.reply(), step);
        }
    }

    private static Reply ok() {
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("status", "ok");
        return Reply.json(200, n);
    }

    private static Reply notFound(String id) {
        return Reply.envelope(404, "not_found", "The model " + id + " does not exist.");
    }
}
