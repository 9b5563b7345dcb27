package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.voicedrop.api.ApiSettings;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /fish/model} against the emulator and the Fish simulator, through the local HTTP API: the JSON form
 * with URLs from a real HTTP server, the production URL policy, body limits, refusals that store and bill nothing,
 * and client idempotency ending in exactly one upstream create.
 *
 * <p>The shared stack's API runs with the template's settings (the production default: https voice URLs on public
 * addresses only). Two more instances of the API function over the same resources show the other settings:
 * {@code API_ALLOW_LOCAL_VOICE_URLS=true}, as local runs use it, and {@code API_CREATE_WAIT_SECONDS=0}, which
 * answers 202 at once.
 */
class ApiCreateTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static HttpServer files;
    private static final AtomicInteger fileRequests = new AtomicInteger();
    private static String filesBase;
    private static String localUrlsApi;
    private static String noWaitApi;
    private static String strictApi;

    @BeforeAll
    static void aFileServerAndTwoMoreApis() throws Exception {
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] first = speech(14);
        byte[] second = speech(16);
        files.createContext("/", ex -> {
            fileRequests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            if (path.equals("/moved.wav")) {
                ex.getResponseHeaders().add("Location", "/second.wav");
                ex.sendResponseHeaders(302, -1);
            } else {
                byte[] body = path.equals("/first.wav") ? first : path.equals("/second.wav") ? second
                        : path.equals("/notes.wav") ? "meeting notes, not audio".getBytes(StandardCharsets.UTF_8)
                        : null;
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.getResponseHeaders().add("Content-Type", "audio/wav");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            }
            ex.close();
        });
        files.start();
        filesBase = "http://127.0.0.1:" + files.getAddress().getPort();
        localUrlsApi = stack().pipeline.startApi(Map.of("API_ALLOW_LOCAL_VOICE_URLS", "true"));
        noWaitApi = stack().pipeline.startApi(Map.of("API_CREATE_WAIT_SECONDS", "0"));
        // The shared stack allows local URLs (its simulator and receivers are on loopback); AWS never does.
        strictApi = stack().pipeline.startApi(Map.of("ALLOW_LOCAL_URLS", "false"));
    }

    @AfterAll
    static void stopFiles() {
        files.stop(0);
    }

    private static HttpResponse<String> postJson(String base, String body, Map<String, String> extra) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(ApiCalls.bearer(stack().apiToken));
        headers.putAll(extra);
        return ApiCalls.send(base, "POST", "/fish/model", headers, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> postForm(String base, ApiCalls.Form form, Map<String, String> extra) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(ApiCalls.bearer(stack().apiToken));
        headers.putAll(extra);
        return ApiCalls.send(base, "POST", "/fish/model", headers, form.contentType(), form.bytes());
    }

    private static String jobIdOf(HttpResponse<String> r) {
        return r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow(() -> new AssertionError("no job id: " + r));
    }

    /** The 422 envelope, with one detail item per reason; returns the items' messages. */
    private static List<String> refusedFor(HttpResponse<String> r, int reasons) {
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("bad_request", body.path("error").path("code").asText(), r.body());
        assertFalse(body.path("trace_id").asText().isEmpty());
        List<String> messages = new ArrayList<>();
        body.path("detail").forEach(item -> messages.add(item.path("msg").asText()));
        assertEquals(reasons, messages.size(), r.body());
        for (String m : messages) {
            assertTrue(body.path("error").path("message").asText().contains(m), "the message joins every reason");
        }
        return messages;
    }

    @Test
    void aJsonCreateWithUrlsFromALocalServerEndsAsACatalogModel() {
        String title = "json urls " + RUN;
        String body = "{\"title\":\"" + title + "\",\"voices\":[\"" + filesBase + "/first.wav\",\"" + filesBase
                + "/moved.wav\"],\"texts\":[\"First transcript.\",\"Second transcript.\"],\"tags\":[\"json-" + RUN
                + "\"],\"description\":\"two clips\",\"visibility\":\"private\",\"enhance_audio_quality\":true}";
        HttpResponse<String> r = postJson(localUrlsApi, body, Map.of());

        assertEquals(201, r.statusCode(), r.body());
        JsonNode model = json(r);
        ApiStrictEntity.check(model, "POST /fish/model (JSON)");
        String modelId = model.path("_id").asText();
        String jobId = jobIdOf(r);
        assertNotEquals(jobId, modelId, "201 carries the upstream's model, not the job");
        assertEquals(title, model.path("title").asText());
        assertEquals("/fish/model/" + modelId, r.headers().firstValue("Location").orElse(null));
        assertEquals(List.of("json-" + RUN), tags(model), "VoiceDrop's marker tag never shows");

        JsonNode fromCatalog = json(Pipeline.get("/fish/model/" + modelId));
        assertEquals(title, fromCatalog.path("title").asText());
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        List<String> stored = Pipeline.keysUnder("uploads/" + jobId + "/");
        assertEquals(List.of("uploads/" + jobId + "/01-first.wav", "uploads/" + jobId + "/02-second.wav"), stored,
                "the redirect's target is stored under its own name");
        assertEquals(1, Pipeline.createCallsFor(jobId));
        String sent = stack().simulator.createRequestBodies().stream()
                .filter(b -> b.contains(io.voicedrop.core.service.JobRunner.markerTag(jobId))).findFirst().orElseThrow();
        assertTrue(sent.contains("First transcript.") && sent.contains("Second transcript."), sent);
        assertFalse(sent.contains(filesBase), "upstream gets presigned bucket URLs, never the caller's URLs");
    }

    @Test
    void withTheDefaultSettingOnlyHttpsUrlsOnPublicAddressesAreFetched() {
        int port = files.getAddress().getPort();
        List<String> urls = List.of(filesBase + "/first.wav", "https://127.0.0.1:" + port + "/first.wav",
                "https://localhost:" + port + "/first.wav", "https://10.0.0.8/a.wav", "https://192.168.1.20/a.wav",
                "https://169.254.169.254/latest/meta-data/", "https://[::1]:" + port + "/first.wav",
                "https://[fe80::1]/a.wav", "file:///etc/passwd");
        int before = fileRequests.get();
        long creates = stack().simulator.createCalls();
        StringBuilder voices = new StringBuilder();
        urls.forEach(u -> voices.append(voices.length() == 0 ? "" : ",").append('"').append(u).append('"'));
        HttpResponse<String> r = postJson(strictApi,
                "{\"title\":\"ssrf " + RUN + "\",\"voices\":[" + voices + "]}", Map.of());

        List<String> reasons = refusedFor(r, urls.size());
        for (int i = 0; i < urls.size(); i++) {
            assertTrue(reasons.get(i).startsWith("voices[" + i + "]: "), reasons.toString());
            assertFalse(reasons.get(i).contains("127.0.0.1") || reasons.get(i).contains("169.254"),
                    "a refusal never echoes the URL: " + reasons.get(i));
        }
        assertEquals(before, fileRequests.get(), "nothing may be fetched from a refused address");
        assertEquals(creates, stack().simulator.createCalls());
        assertFalse(r.headers().firstValue("X-VoiceDrop-Job-Id").isPresent(), "no job for a refused request");
    }

    @Test
    void aNonAudioVoiceAndAMissingTitleAreRefusedTogetherAndNothingIsStoredOrBilled() {
        long creates = stack().simulator.createCalls();
        int uploads = Pipeline.keysUnder("uploads/").size();
        ApiCalls.Form form = new ApiCalls.Form().field("type", "tts").field("train_mode", "fast")
                .file("voices", "voice.wav", "audio/wav", speech(12))
                .file("voices", "notes.wav", "audio/wav", "meeting notes, not audio".getBytes(StandardCharsets.UTF_8));
        List<String> reasons = refusedFor(postForm(stack().pipeline.apiBaseUrl(), form, Map.of()), 2);
        assertTrue(reasons.contains("title is required"), reasons.toString());
        assertTrue(reasons.stream().anyMatch(m -> m.startsWith("voices[1]: not audio")), reasons.toString());

        HttpResponse<String> byUrl = postJson(localUrlsApi, "{\"title\":\"notes " + RUN + "\",\"voices\":[\""
                + filesBase + "/notes.wav\",\"" + filesBase + "/missing.wav\"]}", Map.of());
        List<String> urlReasons = refusedFor(byUrl, 2);
        assertTrue(urlReasons.get(0).startsWith("voices[0]: not audio"), urlReasons.toString());
        assertTrue(urlReasons.get(1).contains("HTTP 404"), urlReasons.toString());

        assertEquals(creates, stack().simulator.createCalls());
        assertEquals(uploads, Pipeline.keysUnder("uploads/").size(), "a refused request stores nothing");
    }

    @Test
    void bodiesOverTheLimitAre413InTheEnvelopeOrApiGatewaysOwnAnswer() {
        ApiCalls.Form justOver = new ApiCalls.Form().field("title", "big " + RUN)
                .file("voices", "big.wav", "audio/wav", new byte[ApiSettings.MAX_BODY_BYTES + 1024]);
        HttpResponse<String> r = postForm(stack().pipeline.apiBaseUrl(), justOver, Map.of());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("payload_too_large", json(r).path("error").path("code").asText(), r.body());
        assertTrue(json(r).path("error").path("message").asText().contains("bucket"),
                "the answer points to the way for larger sets: " + r.body());

        // Past Lambda's 6 MB invocation limit (base64 included) VoiceDrop never runs: API Gateway answers itself.
        ApiCalls.Form farOver = new ApiCalls.Form().field("title", "bigger " + RUN)
                .file("voices", "big.wav", "audio/wav", new byte[5 * 1024 * 1024]);
        HttpResponse<String> gateway = postForm(stack().pipeline.apiBaseUrl(), farOver, Map.of());
        assertEquals(413, gateway.statusCode(), gateway.body());
        assertEquals("Request Entity Too Large", json(gateway).path("message").asText(), gateway.body());
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyCreatesOneModel() {
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + RUN);
        ApiCalls.Form form = new ApiCalls.Form().field("title", "idempotent " + RUN)
                .file("voices", "voice.wav", "audio/wav", speech(13));
        byte[] body = form.bytes();
        Map<String, String> headers = new java.util.LinkedHashMap<>(ApiCalls.bearer(stack().apiToken));
        headers.putAll(key);

        HttpResponse<String> first = ApiCalls.send(noWaitApi, "POST", "/fish/model", headers, form.contentType(), body);
        assertEquals(202, first.statusCode(), first.body());
        String jobId = json(first).path("job_id").asText();
        assertEquals("/jobs/" + jobId, first.headers().firstValue("Location").orElse(null));
        assertEquals(jobId, jobIdOf(first));

        HttpResponse<String> retried = ApiCalls.send(noWaitApi, "POST", "/fish/model", headers, form.contentType(),
                body);
        assertEquals(jobId, jobIdOf(retried), retried.body());
        assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElse(null));

        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        HttpResponse<String> late = ApiCalls.send(stack().pipeline.apiBaseUrl(), "POST", "/fish/model", headers,
                form.contentType(), body);
        assertEquals(201, late.statusCode(), "a retry after the create answers the model: " + late.body());
        assertEquals(job.path("model_id").asText(), json(late).path("_id").asText());
        assertEquals("true", late.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(1, Pipeline.createCallsFor(jobId), "one upstream create for three requests");

        ApiCalls.Form other = new ApiCalls.Form().field("title", "another " + RUN)
                .file("voices", "voice.wav", "audio/wav", speech(13));
        HttpResponse<String> reused = ApiCalls.send(noWaitApi, "POST", "/fish/model", headers, other.contentType(),
                other.bytes());
        assertEquals(400, reused.statusCode(), reused.body());
        assertTrue(json(reused).path("error").path("message").asText().contains("Idempotency-Key"), reused.body());
    }

    private static List<String> tags(JsonNode model) {
        List<String> tags = new ArrayList<>();
        model.path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }
}
