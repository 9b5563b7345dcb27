package io.voicedrop.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /fish/tts} as the ADC proxy serves it (reference section 9): JSON in, JSON out with an
 * {@code audio_url}, never the audio bytes. The audio itself is served under {@code GET /fish/audio/<id>.mp3}
 * without authentication, like a CDN link. Order as for creates: count, authenticate, scripted fault, validate.
 */
final class SpeechHandler {

    static final String AUDIO_PREFIX = "/fish/audio/";
    static final byte[] AUDIO = load();

    private final FishSimulator sim;

    SpeechHandler(FishSimulator sim) {
        this.sim = sim;
    }

    Router.Outcome handle(HttpExchange ex, byte[] body, FishSimulator.Settings settings) {
        sim.speechCalls.incrementAndGet();
        sim.speechBodies.add(new String(body, StandardCharsets.UTF_8));
        String viewer = Router.authorize(ex, settings);
        Faults.Step step = sim.speechFaults.nextStep();
        if (step instanceof Faults.Fail fail) {
            return new Router.Outcome(fail.reply(settings.retryAfterHeader()), null);
        }
        try {
            return new Router.Outcome(speak(body, viewer, settings), step);
        } catch (Reply.Rejected rejected) {
            return new Router.Outcome(rejected.reply(), step);
        }
    }

    private Reply speak(byte[] body, String viewer, FishSimulator.Settings settings) {
        JsonNode req;
        try {
            req = Reply.JSON.readTree(body);
        } catch (IOException e) {
            throw CreateRequest.bad("The request body is not valid JSON.");
        }
        String text = req == null ? "" : req.path("text").asText("");
        String reference = req == null ? "" : req.path("reference_id").asText("");
        if (text.isBlank()) {
            throw CreateRequest.bad("text is required.");
        }
        if (!reference.isBlank()) {
            Optional<SimModel> model = sim.store.newestFirst(settings.clock().instant()).stream()
                    .filter(m -> m.id().equals(reference))
                    .filter(m -> !"private".equals(m.visibility()) || m.authorId().equals(viewer))
                    .findFirst();
            if (model.isEmpty()) {
                throw CreateRequest.bad("reference_id " + reference + " does not exist.");
            }
            if (!"trained".equals(model.get().state())) {
                throw CreateRequest.bad("reference_id " + reference + " is not trained yet.");
            }
        }
        String id = CreateHandler.newId();
        sim.speechServed.incrementAndGet();
        ObjectNode answer = Reply.JSON.createObjectNode();
        answer.put("audio_url", sim.baseUrl() + AUDIO_PREFIX + id + ".mp3");
        answer.put("latency_ms", 42);
        return Reply.json(200, answer);
    }

    /** {@code GET /fish/audio/<id>.mp3}: the audio; a scripted status instead while {@code failNextAudio} lasts. */
    void serveAudio(HttpExchange ex) throws IOException {
        sim.audioFetches.incrementAndGet();
        Faults.Step step = sim.audioFaults.nextStep();
        if (step instanceof Faults.Fail fail) {
            ex.sendResponseHeaders(fail.status(), -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "audio/mpeg");
        ex.sendResponseHeaders(200, AUDIO.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(AUDIO);
        }
    }

    private static byte[] load() {
        try (InputStream in = SpeechHandler.class.getResourceAsStream("/sim/preview.mp3")) {
            if (in == null) {
                throw new IllegalStateException("simulator resource /sim/preview.mp3 is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
