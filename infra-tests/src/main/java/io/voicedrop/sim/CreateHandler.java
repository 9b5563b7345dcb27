package io.voicedrop.sim;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /fish/model}. Order matters and mirrors a gateway in front of upstream:
 * count, authenticate, rate-limit, apply any scripted fault, validate, fetch voices, store.
 */
final class CreateHandler {

    private final FishSimulator sim;

    CreateHandler(FishSimulator sim) {
        this.sim = sim;
    }

    Router.Outcome handle(HttpExchange ex, byte[] body, FishSimulator.Settings settings) {
        sim.createCalls.incrementAndGet();
        sim.createBodies.add(new String(body, StandardCharsets.UTF_8));
        String author = Router.authorize(ex, settings);
        long retryAfter = sim.faults.acquire(settings.rateLimitPerSecond(), System.nanoTime());
        if (retryAfter > 0) {
            return new Router.Outcome(Faults.tooManyRequests(retryAfter, settings.retryAfterHeader()), null);
        }
        Faults.Step step = sim.faults.nextStep();
        if (step instanceof Faults.Fail fail) {
            return new Router.Outcome(fail.reply(settings.retryAfterHeader()), null);
        }
        // A Hold or Drop step applies to whatever this call produces, error or success alike.
        try {
            return new Router.Outcome(create(ex, body, settings, author), step);
        } catch (Reply.Rejected rejected) {
            return new Router.Outcome(rejected.reply(), step);
        }
    }

    private Reply create(HttpExchange ex, byte[] body, FishSimulator.Settings settings, String author) {
        CreateRequest req = CreateRequest.parse(body, ex.getRequestHeaders().getFirst("Content-Type"));
        if (settings.fetchVoices()) {
            sim.fetcher.fetchAll(req.voices(), settings.voiceFetchTimeout());
        }
        List<SimModel.Sample> samples = new ArrayList<>();
        for (int i = 0; i < req.voices().size(); i++) {
            String text = req.texts() == null ? "" : req.texts().get(i);
            samples.add(new SimModel.Sample(req.title() + " #" + (i + 1), text, newId(), req.voices().get(i).trim()));
        }
        Instant now = settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
        SimModel model = new SimModel(newId(), req.title(), req.description(), req.coverImage(),
                settings.initialState(), req.tags(), samples, now, now, settings.languages(),
                req.visibility(), author, req.raw());
        sim.store.add(model, settings.trainAfterPolls(), settings.trainAfter(), settings.trainingOutcome());
        sim.modelsCreated.incrementAndGet();
        return Reply.json(settings.createStatus(), model.toJson());
    }

    /** 32 lowercase hex characters, the shape of every upstream model id example. */
    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
