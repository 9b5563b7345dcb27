package io.voicedrop.e2e;

import io.voicedrop.local.LocalOptions;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One emulator, one Fish simulator and one local pipeline for the whole test run (starting moto costs seconds).
 * The emulator is LocalStack when Docker is available and moto otherwise; tests never skip for lack of Docker.
 */
final class TestStack {

    private static TestStack instance;

    final FishSimulator simulator;
    final LocalPipeline pipeline;
    final String apiToken;

    private TestStack() {
        simulator = FishSimulator.start();
        pipeline = LocalPipeline.start(new LocalOptions(System.getenv("VOICEDROP_AWS_ENDPOINT"), simulator.baseUrl(),
                simulator.token(), 0, 2, templatePath(), Map.of(),
                Map.ofEntries(Map.entry("RETRY_BASE_DELAY_MS", "200"), Map.entry("RETRY_MAX_DELAY_MS", "2000"),
                        Map.entry("UPSTREAM_TIMEOUT_MS", "3000"), Map.entry("TRAINING_POLL_SECONDS", "1"),
                        Map.entry("PAUSE_PROBE_SECONDS", "2"),
                        // Tests poll the API every 100 ms: the shared key must never be throttled. Keys created with
                        // their own limit are still limited (ApiSecurityTest).
                        Map.entry("API_RATE_LIMIT_PER_MINUTE", "0"),
                        // The simulator's TTS audio and the tests' webhook receivers are plain http on loopback, as
                        // in a local run. Tests of the strict guard start an API with ALLOW_LOCAL_URLS=false.
                        Map.entry("ALLOW_LOCAL_URLS", "true"),
                        Map.entry("WEBHOOK_TIMEOUT_SECONDS", "2"), Map.entry("WEBHOOK_RETRY_BASE_DELAY_MS", "200"),
                        Map.entry("WEBHOOK_RETRY_MAX_DELAY_MS", "600"))));
        apiToken = pipeline.createApiKey("tests", "integration tests");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            simulator.close();
        }));
    }

    static synchronized TestStack get() {
        if (instance == null) {
            instance = new TestStack();
        }
        return instance;
    }

    static Path templatePath() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml"))) {
                return p.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
