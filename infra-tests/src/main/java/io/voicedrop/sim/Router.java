package io.voicedrop.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Dispatches every request: latency, routing, auth, then the fault-aware delivery of the answer. */
final class Router implements HttpHandler {

    private static final String COLLECTION = "/fish/model";

    /** An answer plus what to do to the connection after producing it (null: answer normally). */
    record Outcome(Reply reply, Faults.Step after) {}

    private final FishSimulator sim;
    private final CreateHandler create;
    private final ModelEditHandler edits;
    private final SpeechHandler speech;

    Router(FishSimulator sim) {
        this.sim = sim;
        this.create = new CreateHandler(sim);
        this.edits = new ModelEditHandler(sim);
        this.speech = new SpeechHandler(sim);
    }

    @Override
    public void handle(HttpExchange ex) {
        try {
            // Drain first: answering before the body is read would break keep-alive for the client.
            byte[] body = ex.getRequestBody().readAllBytes();
            if (ex.getRequestURI().getPath().startsWith(SpeechHandler.AUDIO_PREFIX)
                    && ex.getRequestMethod().equals("GET")) {
                speech.serveAudio(ex);
                return;
            }
            FishSimulator.Settings settings = sim.settings();
            sleep(settings.latency());
            Outcome outcome;
            try {
                outcome = route(ex, body, settings);
            } catch (Reply.Rejected rejected) {
                outcome = new Outcome(rejected.reply(), null);
            }
            deliver(ex, outcome);
        } catch (InterruptedException e) {
            // The simulator is closing; drop the exchange quietly.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (typically after its own timeout); nothing left to tell it.
        } catch (RuntimeException e) {
            trySend(ex, Reply.envelope(500, "api_error", "Simulator failure: " + e));
        } finally {
            // Without a prior sendResponseHeaders this closes the socket: that is how "reset" works.
            ex.close();
        }
    }

    private Outcome route(HttpExchange ex, byte[] body, FishSimulator.Settings settings) {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/fish/tts") && method.equals("POST")) {
            return speech.handle(ex, body, settings);
        }
        if (path.equals(COLLECTION) || path.equals(COLLECTION + "/")) {
            if (method.equals("POST")) {
                return create.handle(ex, body, settings);
            }
            if (method.equals("GET")) {
                String viewer = authorize(ex, settings);
                return new Outcome(list(ex.getRequestURI().getRawQuery(), viewer, settings), null);
            }
        } else if (path.startsWith(COLLECTION + "/")) {
            String id = path.substring(COLLECTION.length() + 1);
            if (!id.isEmpty() && !id.contains("/")) {
                switch (method) {
                    case "GET" -> {
                        return new Outcome(get(id, authorize(ex, settings), settings), null);
                    }
                    case "PATCH" -> {
                        return edits.update(ex, id, body, settings);
                    }
                    case "DELETE" -> {
                        return edits.delete(ex, id, settings);
                    }
                    default -> {
                        // below
                    }
                }
            }
        }
        return new Outcome(Reply.envelope(404, "no_api", "The API " + method + " " + path + " does not exist."), null);
    }

    private Reply list(String rawQuery, String viewer, FishSimulator.Settings settings) {
        ListQuery query = ListQuery.parse(rawQuery);
        List<SimModel> hits = sim.store.newestFirst(settings.clock().instant()).stream()
                .filter(m -> query.matches(m, viewer, settings.tagMatch()))
                .toList();
        ObjectNode root = Reply.JSON.createObjectNode();
        root.put("total", hits.size());
        ArrayNode items = root.putArray("items");
        hits.stream()
                .skip((long) (query.pageNumber() - 1) * query.pageSize())
                .limit(query.pageSize())
                .forEach(m -> items.add(m.toJson()));
        return Reply.json(200, root);
    }

    private Reply get(String id, String viewer, FishSimulator.Settings settings) {
        return sim.store.poll(id, viewer, settings.clock().instant())
                .map(m -> Reply.json(200, m.toJson()))
                .orElseGet(() -> Reply.envelope(404, "not_found", "The model " + id + " does not exist."));
    }

    /** @return the author id of the caller, derived from its token so each token is its own account */
    static String authorize(HttpExchange ex, FishSimulator.Settings settings) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            if (settings.tokens().contains(token)) {
                return authorIdFor(token);
            }
        }
        throw new Reply.Rejected(Reply.envelope(401, "invalid_token", "The specified token is invalid or wrong."));
    }

    static String authorIdFor(String token) {
        byte[] seed = ("voicedrop-sim:" + token).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(seed).toString().replace("-", "");
    }

    private void deliver(HttpExchange ex, Outcome outcome) throws IOException, InterruptedException {
        if (outcome.after() instanceof Faults.Drop) {
            return;
        }
        if (outcome.after() instanceof Faults.Hold hold) {
            sleep(hold.duration());
        }
        send(ex, outcome.reply());
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        if (reply.status() == 429) {
            sim.status429.incrementAndGet();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void trySend(HttpExchange ex, Reply reply) {
        try {
            send(ex, reply);
        } catch (IOException | RuntimeException ignored) {
            // Headers may already be out; the client sees a truncated answer, which is the truth.
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (duration != null && !duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }
}
