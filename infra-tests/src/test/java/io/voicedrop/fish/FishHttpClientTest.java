package io.voicedrop.fish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.voicedrop.adapters.fish.FishHttpClient;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig.VoicesShape;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.port.CreateModelCall;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.sim.FishSimulator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one Fish client against the simulator, which validates requests as the contract says. */
class FishHttpClientTest {

    private static FishSimulator sim;
    private static HttpServer audio;
    private static String voiceUrl;

    @BeforeAll
    static void start() throws Exception {
        sim = FishSimulator.start(FishSimulator.Settings.defaults().createStatus(201));
        byte[] wav = DemoAudio.wav(Duration.ofSeconds(1), 16_000, 1, 1);
        audio = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        audio.createContext("/a.wav", ex -> {
            ex.sendResponseHeaders(200, wav.length);
            ex.getResponseBody().write(wav);
            ex.close();
        });
        audio.start();
        voiceUrl = "http://127.0.0.1:" + audio.getAddress().getPort() + "/a.wav";
    }

    @AfterAll
    static void stop() {
        sim.close();
        audio.stop(0);
    }

    private FishHttpClient client(VoicesShape shape, String token) {
        return new FishHttpClient(URI.create(sim.baseUrl()), () -> token, Duration.ofSeconds(2), shape, Clock.systemUTC());
    }

    private static CreateModelCall call(String title, List<String> texts) {
        return new CreateModelCall(new ModelSpec(title, "d", List.of("en"), "private", "tts", "fast", true, "", "en", null,
                false),
                List.of(voiceUrl), texts, "vd-job-1");
    }

    @Test
    void createSendsEveryOptionalFieldExplicitlyAndAcceptsA201() throws Exception {
        ModelEntity m = client(VoicesShape.ARRAY, sim.token()).create(call("explicit", List.of("hello")));
        assertEquals("explicit", m.title());
        JsonNode sent = Json.MAPPER.readTree(sim.createRequestBodies().get(sim.createRequestBodies().size() - 1));
        assertTrue(sent.path("voices").isArray());
        assertEquals("private", sent.path("visibility").asText());
        assertEquals("tts", sent.path("type").asText());
        assertEquals("fast", sent.path("train_mode").asText());
        assertTrue(sent.path("enhance_audio_quality").asBoolean());
        assertEquals("hello", sent.path("texts").get(0).asText());
        assertTrue(sent.path("tags").toString().contains("vd-job-1"));
    }

    @Test
    void voicesCanBeSentAsASingleString() throws Exception {
        client(VoicesShape.STRING, sim.token()).create(call("string voices", List.of()));
        JsonNode sent = Json.MAPPER.readTree(sim.createRequestBodies().get(sim.createRequestBodies().size() - 1));
        assertEquals(voiceUrl, sent.path("voices").asText());
    }

    @Test
    void upstreamErrorsKeepStatusCodeMessageTraceIdAndRetryAfter() {
        UpstreamError bad = assertThrows(UpstreamError.class, () -> client(VoicesShape.ARRAY, "wrong").create(call("x", List.of())));
        assertEquals(401, bad.status());
        assertEquals("invalid_token", bad.code());
        assertEquals(UpstreamError.Kind.DEPLOYMENT_BLOCKED, bad.kind());
        assertTrue(bad.traceId() != null && bad.traceId().length() == 36, bad.traceId());

        sim.failNextCreates(1, 429);
        UpstreamError limited = assertThrows(UpstreamError.class, () -> client(VoicesShape.ARRAY, sim.token()).create(call("x", List.of())));
        assertEquals(UpstreamError.Kind.RATE_LIMITED, limited.kind());
        assertTrue(limited.retryAfter() != null && limited.retryAfter().toSeconds() >= 1);

        UpstreamError invalid = assertThrows(UpstreamError.class,
                () -> client(VoicesShape.ARRAY, sim.token()).create(call("", List.of())));
        assertEquals(400, invalid.status());
        assertEquals(UpstreamError.Kind.REQUEST_REJECTED, invalid.kind());
    }

    @Test
    void aSilentUpstreamIsANoResponseError() {
        sim.createThenTimeout(Duration.ofSeconds(4));
        UpstreamError timeout = assertThrows(UpstreamError.class, () -> client(VoicesShape.ARRAY, sim.token()).create(call("slow", List.of())));
        assertEquals(UpstreamError.Kind.NO_RESPONSE, timeout.kind());
        assertEquals("timeout", timeout.code());
    }

    @Test
    void findsOwnModelsByMarkerTagAndGetsById() throws Exception {
        FishHttpClient c = client(VoicesShape.ARRAY, sim.token());
        ModelEntity created = c.create(new CreateModelCall(ModelSpec.titled("tagged"), List.of(voiceUrl), List.of(), "vd-job-find-me"));
        assertEquals(created.id(), c.findOwnByTag("vd-job-find-me").orElseThrow().id());
        assertTrue(c.findOwnByTag("vd-job-nobody").isEmpty());
        assertEquals("tagged", c.get(created.id()).title());
        UpstreamError missing = assertThrows(UpstreamError.class, () -> c.get("0123456789abcdef0123456789abcdef"));
        assertEquals(404, missing.status());
    }

    @Test
    void speakSendsTheModelAsReferenceIdAndTheSimulatorServesARealMp3() throws Exception {
        FishHttpClient c = client(VoicesShape.ARRAY, sim.token());
        ModelEntity voice = c.create(new CreateModelCall(ModelSpec.titled("speaker"), List.of(voiceUrl), List.of(),
                "vd-job-speaker"));
        FishApi.SpeechResult answer = c.speak(new FishApi.SpeechCall("Hello there.", voice.id(), "mp3"));
        JsonNode sent = Json.MAPPER.readTree(sim.speechRequestBodies().get(sim.speechRequestBodies().size() - 1));
        assertEquals(voice.id(), sent.path("reference_id").asText());
        assertEquals("Hello there.", sent.path("text").asText());
        assertEquals("mp3", sent.path("format").asText());
        assertEquals(42L, answer.latencyMs());
        HttpResponse<byte[]> audio = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(answer.audioUrl()))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, audio.statusCode());
        assertEquals("audio/mpeg", audio.headers().firstValue("content-type").orElse(""));
        AudioInfo info = new AudioProbe().probe(ByteSource.of(audio.body()));
        assertEquals(AudioFormat.MP3, info.format(), "a real audio file");
        assertTrue(!answer.toString().contains("http"), "the audio URL is never in a log line");
    }

    @Test
    void speakErrorsTellWhetherUpstreamCanHaveServedTheCall() throws Exception {
        FishHttpClient c = client(VoicesShape.ARRAY, sim.token());
        UpstreamError unknown = assertThrows(UpstreamError.class,
                () -> c.speak(new FishApi.SpeechCall("x", "0123456789abcdef0123456789abcdef", "mp3")));
        assertEquals(400, unknown.status());
        assertFalse(unknown.neverSent());

        sim.failNextSpeech(1, 503);
        UpstreamError busy = assertThrows(UpstreamError.class, () -> c.speak(new FishApi.SpeechCall("x", "", "mp3")));
        assertEquals(503, busy.status());
        assertTrue(busy.isRetryable());

        sim.speechThenTimeout(Duration.ofSeconds(4));
        UpstreamError lost = assertThrows(UpstreamError.class, () -> c.speak(new FishApi.SpeechCall("x", "", "mp3")));
        assertEquals(UpstreamError.Kind.NO_RESPONSE, lost.kind());
        assertFalse(lost.neverSent(), "the request went out: it may have been served");

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        FishHttpClient nowhere = new FishHttpClient(URI.create("http://127.0.0.1:" + closedPort), sim::token,
                Duration.ofSeconds(2), VoicesShape.ARRAY, Clock.systemUTC());
        UpstreamError refused = assertThrows(UpstreamError.class,
                () -> nowhere.speak(new FishApi.SpeechCall("x", "", "mp3")));
        assertTrue(refused.neverSent(), "a refused connection never reached upstream: " + refused.code());
    }
}
