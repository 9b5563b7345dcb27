package io.voicedrop.sim;

import static io.voicedrop.sim.SimHttp.assertEnvelope;
import static io.voicedrop.sim.SimHttp.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FishSimulatorFaultTest {

    private VoiceServer voices;
    private FishSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        voices = new VoiceServer();
        sim = FishSimulator.start();
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
        voices.close();
    }

    private SimHttp.Resp createOk() throws Exception {
        return http.create(body("Voice", voices.ok("v")));
    }

    @Test
    void rateLimitAnswers429WithRetryAfterThenRecovers() throws Exception {
        sim.setRateLimit(2);
        assertEquals(200, createOk().status());
        assertEquals(200, createOk().status());
        SimHttp.Resp limited = createOk();
        assertEnvelope(limited, 429, "too_many_requests");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals(1, sim.status429Count());
        assertEquals(2, sim.modelsCreated());
        assertEquals(3, sim.createCalls());
        assertEquals(200, http.get("/fish/model").status(), "reads are not rate limited");

        Thread.sleep(retryAfter * 1000);
        assertEquals(200, createOk().status(), "honouring Retry-After is enough to get through");
    }

    @Test
    void retryAfterHeaderCanBeOmitted() throws Exception {
        sim.setRateLimit(1).setRetryAfterHeader(false);
        assertEquals(200, createOk().status());
        SimHttp.Resp limited = createOk();
        assertEnvelope(limited, 429, "too_many_requests");
        assertTrue(limited.headers().firstValue("Retry-After").isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"500,api_error", "502,api_error", "503,api_error", "429,too_many_requests",
        "400,bad_request", "401,invalid_token", "403,used_up"})
    void scriptedEnvelopeFailuresThenSuccess(int status, String code) throws Exception {
        sim.failNextCreates(2, status);
        assertEnvelope(createOk(), status, code);
        assertEnvelope(createOk(), status, code);
        assertEquals(200, createOk().status());
        assertEquals(1, sim.modelsCreated());
        assertEquals(3, sim.createCalls());
        assertEquals(status == 429 ? 2 : 0, sim.status429Count());
        assertEquals(0, sim.pendingScriptedCreates());
    }

    @Test
    void scripted429CarriesRetryAfter() throws Exception {
        sim.failNextCreates(1, 429);
        assertEquals("1", createOk().headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void scriptedRawFishBodies() throws Exception {
        sim.failNextCreates(1, 402).failNextCreates(1, 422).failNextCreates(1, 418, "teapot");
        SimHttp.Resp credits = createOk();
        assertEquals(402, credits.status());
        assertEquals(SimHttp.JSON.readTree("{\"status\":402,\"message\":\"Insufficient credits\"}"), credits.json());
        SimHttp.Resp invalid = createOk();
        assertEquals(422, invalid.status());
        JsonNode array = invalid.json();
        assertTrue(array.isArray());
        assertEquals("missing", array.get(0).get("type").asText());
        assertEquals(List.of("body", "title"), List.of(array.at("/0/loc/0").asText(), array.at("/0/loc/1").asText()));
        SimHttp.Resp custom = createOk();
        assertEquals(418, custom.status());
        assertEquals("teapot", custom.body());
        assertEquals(0, sim.modelsCreated());
    }

    @Test
    void createThenTimeoutStoresTheModelWhileTheClientTimesOut() throws Exception {
        sim.createThenTimeout(Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class,
                () -> http.create(body("Held", voices.ok("h")), sim.token(), Duration.ofMillis(500)));
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "the client gave up, not the server");
        assertEquals(1, sim.modelsCreated());
        assertEquals("Held", sim.models().get(0).title());
        assertEquals(1, http.get("/fish/model").json().get("total").asInt());
        assertEquals(200, createOk().status(), "only the next create is held");
    }

    @Test
    void createThenResetStoresTheModelWhileTheConnectionDies() throws Exception {
        sim.createThenReset();
        assertEquals(200, http.get("/fish/model").status(), "warm a keep-alive connection first");
        IOException e = assertThrows(IOException.class,
                () -> http.create(body("Dropped", voices.ok("d")), sim.token(), Duration.ofSeconds(5)));
        assertFalse(e instanceof HttpTimeoutException, "expected a reset/EOF, got " + e);
        assertEquals(1, sim.modelsCreated());
        assertEquals("Dropped", http.get("/fish/model").json().at("/items/0/title").asText());
        assertEquals(200, createOk().status());
    }

    @Test
    void latencyDelaysEveryRequest() throws Exception {
        sim.setLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertEquals(200, http.get("/fish/model").status());
        assertTrue(System.nanoTime() - start >= 300_000_000L);
        sim.setLatency(Duration.ZERO);
        start = System.nanoTime();
        http.get("/fish/model");
        assertTrue(System.nanoTime() - start < 300_000_000L);
    }

    @Test
    void resetForgetsEverythingAndRestoresStartSettings() throws Exception {
        createOk();
        sim.setRateLimit(1).failNextCreates(3, 500);
        sim.reset();
        assertEquals(0, sim.modelsCreated());
        assertEquals(0, sim.createCalls());
        assertEquals(List.of(), sim.models());
        assertEquals(0, sim.pendingScriptedCreates());
        assertEquals(0, sim.settings().rateLimitPerSecond());
        assertEquals(200, createOk().status());
        assertEquals(200, createOk().status());
    }

    @Test
    void commandLineParsesItsFlags() {
        FishSimulator.Settings s = SimCli.parse(new String[] {
            "--port", "0", "--token", "a", "--token", "b", "--rate-limit", "5", "--latency-ms", "20"});
        assertEquals(List.of("a", "b"), List.copyOf(s.tokens()));
        assertEquals(5, s.rateLimitPerSecond());
        assertEquals(Duration.ofMillis(20), s.latency());
        assertThrows(IllegalArgumentException.class, () -> SimCli.parse(new String[] {"--rate-limit"}));
        assertThrows(IllegalArgumentException.class, () -> SimCli.parse(new String[] {"--bogus"}));
    }
}
