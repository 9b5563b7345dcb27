package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /fish/model} through the real handler: both encodings, every validation rule, idempotency, owners. */
class CreateModelApiTest {

    static final String OTHER_KEY = "vd_other-owner-key-000111";
    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
        api.keys.add(OTHER_KEY, "bob-the-other", true);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static TestApi.Response post(TestApi api, String key, String contentType, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("authorization", "Bearer " + key);
        headers.put("content-type", contentType);
        headers.put("content-length", Integer.toString(body.length));
        APIGatewayV2HTTPEvent e = HttpApiEvents.request("POST", "/fish/model", headers);
        boolean text = contentType.startsWith("application/json");
        e.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        e.setIsBase64Encoded(!text);
        return api.send(e);
    }

    private TestApi.Response multipart(TestAudio.Form form) {
        return post(api, TestApi.KEY, form.contentType(), form.bytes(), Map.of());
    }

    private TestApi.Response json(String body) {
        return post(api, TestApi.KEY, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static JsonNode body(TestApi.Response r) {
        return Json.read(r.body(), JsonNode.class);
    }

    private static void assertBadRequest(TestApi.Response r, String messagePart) {
        assertEquals(400, r.status(), r.body());
        JsonNode b = body(r);
        assertEquals("bad_request", b.path("error").path("code").asText(), r.body());
        assertTrue(b.path("error").path("message").asText().contains(messagePart), r.body());
        assertFalse(b.path("trace_id").asText().isEmpty());
    }

    @Test
    void npmStyleMultipartCreatesAQueuedJobWithSamplesUnderUploads() {
        TestAudio.Form form = new TestAudio.Form().field("type", "tts").field("train_mode", "fast")
                .field("title", "Narrator Bob")
                .file("voices", "one.wav", "audio/wav", TestAudio.wav(2, 16000, 1))
                .file("voices", "two.wav", "audio/wav", TestAudio.wav(2, 16000, 2))
                .field("texts", "first text,second text").field("tags", "en,narration");
        TestApi.Response r = multipart(form);
        assertEquals(201, r.status(), r.body());
        JsonNode m = body(r);
        String jobId = m.path("_id").asText();
        assertEquals("created", m.path("state").asText());
        assertEquals("Narrator Bob", m.path("title").asText());
        assertEquals("private", m.path("visibility").asText());
        assertEquals(List.of("en", "narration"), Json.MAPPER.convertValue(m.path("tags"), List.class));
        for (String field : ModelApiTest.STRICT_FIELDS) {
            assertTrue(m.has(field) && !m.get(field).isNull(), field + " missing: " + m);
        }
        assertEquals("/jobs/" + jobId, r.header("location"));
        assertEquals(jobId, r.header("x-voicedrop-job-id"));

        Job job = api.jobs.find(jobId).orElseThrow();
        assertEquals(JobStatus.QUEUED, job.status());
        assertNotNull(job.enqueuedAt());
        assertEquals(List.of(jobId), api.queue.sent);
        assertEquals(List.of("uploads/" + jobId + "/01-one.wav", "uploads/" + jobId + "/02-two.wav"),
                job.sourceKeys());
        assertEquals("first text", job.samples().get(0).text());
        assertEquals("second text", job.samples().get(1).text());
        assertTrue(api.uploads.objects.containsKey("test-bucket/uploads/" + jobId + "/01-one.wav"));
        assertEquals("alice", api.ownership.ownerOf(jobId).orElseThrow());
        assertTrue(job.warnings().stream().anyMatch(w -> w.contains("under the recommended 30 s")), job.warnings()
                .toString());
    }

    @Test
    void pythonStyleRepeatedFieldsAndExtensionlessFileNames() {
        TestAudio.Form form = new TestAudio.Form().field("visibility", "private").field("type", "tts")
                .field("train_mode", "fast").field("enhance_audio_quality", "true").field("title", "Py")
                .file("voices", "upload", "application/octet-stream", TestAudio.wav(1, 16000, 3))
                .file("voices", "upload", "application/octet-stream", TestAudio.wav(1, 16000, 4))
                .field("texts", "a, with comma").field("texts", "b").field("tags", "x").field("tags", "y,z");
        TestApi.Response r = multipart(form);
        assertEquals(201, r.status(), r.body());
        Job job = api.jobs.find(body(r).path("_id").asText()).orElseThrow();
        assertEquals("a, with comma", job.samples().get(0).text());
        assertEquals(List.of("x", "y,z"), job.spec().tags());
        assertTrue(job.sourceKeys().get(0).endsWith("/01-upload.wav"), job.sourceKeys().toString());
    }

    @Test
    void aSingleVoiceKeepsCommasInItsText() {
        TestApi.Response r = multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 5)).field("texts", "Hello, world"));
        assertEquals(201, r.status(), r.body());
        assertEquals("Hello, world", api.jobs.find(body(r).path("_id").asText()).orElseThrow().samples().get(0).text());
    }

    @Test
    void validationFollowsTheContract() {
        byte[] wav = TestAudio.wav(1, 16000, 6);
        assertBadRequest(multipart(new TestAudio.Form().file("voices", "a.wav", "audio/wav", wav)), "title is required");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t")), "voices is required");
        TestAudio.Form many = new TestAudio.Form().field("title", "t");
        for (int i = 0; i < 21; i++) {
            many.file("voices", "v" + i + ".wav", "audio/wav", wav);
        }
        assertBadRequest(multipart(many), "at most 20 voices");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", wav).file("voices", "b.wav", "audio/wav", wav)
                .field("texts", "only one")), "one transcript per voice");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t").field("visibility", "unlisted")
                .file("voices", "a.wav", "audio/wav", wav)), "visibility");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t").field("type", "svc")
                .file("voices", "a.wav", "audio/wav", wav)), "type must be tts");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t").field("train_mode", "full")
                .file("voices", "a.wav", "audio/wav", wav)), "train_mode must be fast");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t").field("visibility", "public")
                .file("voices", "a.wav", "audio/wav", wav)), "cover_image");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", "not audio at all".getBytes())), "voices[0]: not an audio file");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", new byte[0])), "empty");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "x".repeat(201))
                .file("voices", "a.wav", "audio/wav", wav)), "title must be at most 200");
        TestAudio.Form tags = new TestAudio.Form().field("title", "t").file("voices", "a.wav", "audio/wav", wav);
        for (int i = 0; i < 21; i++) {
            tags.field("tags", "tag" + i);
        }
        assertBadRequest(multipart(tags), "at most 20 tags");
        assertBadRequest(multipart(new TestAudio.Form().field("title", "t").field("enhance_audio_quality", "maybe")
                .file("voices", "a.wav", "audio/wav", wav)), "enhance_audio_quality");
        assertBadRequest(json("{\"title\":\"t\"}"), "voices is required");
        assertBadRequest(json("{\"voices\":[\"https://example.org/a.wav\"]}"), "title is required");
        assertBadRequest(json("[1,2]"), "JSON object");
        assertBadRequest(json("{\"title\":"), "not valid JSON");
        assertBadRequest(json("{\"title\":5,\"voices\":\"https://example.org/a.wav\"}"), "title must be a string");
        assertBadRequest(json("{\"title\":\"t\",\"voices\":[1]}"), "voices must be");
        assertBadRequest(json("{\"title\":\"t\",\"voices\":[\"a\",\"b\"],\"texts\":[\"x\"]}"),
                "one transcript per voice");
        assertBadRequest(post(api, TestApi.KEY, "multipart/form-data; boundary=xyz", "garbage".getBytes(), Map.of()),
                "multipart body is malformed");
        assertBadRequest(post(api, TestApi.KEY, "multipart/form-data", "garbage".getBytes(), Map.of()), "boundary");
        TestApi.Response r = post(api, TestApi.KEY, "application/msgpack", new byte[] {1, 2}, Map.of());
        assertEquals(415, r.status(), r.body());
        assertEquals("unsupported_media_type", body(r).path("error").path("code").asText());
        assertTrue(api.jobs.find("x").isEmpty());
        assertTrue(api.queue.sent.isEmpty(), "nothing may be enqueued by an invalid request");
        assertTrue(api.uploads.objects.isEmpty(), "nothing may be stored by an invalid request");
    }

    @Test
    void jsonVoiceUrlsToPrivateAddressesAreRefused() {
        TestApi.Response r = json("{\"title\":\"t\",\"voices\":[\"http://127.0.0.1:9/a.wav\"]}");
        assertBadRequest(r, "private or reserved address");
        assertBadRequest(json("{\"title\":\"t\",\"voices\":\"http://169.254.169.254/latest/meta-data/\"}"),
                "private or reserved address");
        assertBadRequest(json("{\"title\":\"t\",\"voices\":[\"file:///etc/passwd\"]}"), "only http and https");
        assertBadRequest(json("{\"title\":\"t\",\"voices\":[\"http://user:pw@example.org/a.wav\"]}"), "user info");
        assertTrue(api.queue.sent.isEmpty());
    }

    @Test
    void jsonVoiceUrlsAreDownloadedStoredAndQueued() throws Exception {
        try (TestApi local = new TestApi(ApiSettings.defaults().withLocalVoiceUrls(true))) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] wav = TestAudio.wav(1, 16000, 7);
            server.createContext("/a.wav", ex -> {
                ex.sendResponseHeaders(200, wav.length);
                ex.getResponseBody().write(wav);
                ex.close();
            });
            server.createContext("/moved", ex -> {
                ex.getResponseHeaders().add("Location", "/a.wav");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            server.createContext("/big", ex -> {
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (int i = 0; i < 400; i++) {
                        ex.getResponseBody().write(chunk);
                    }
                } catch (java.io.IOException closed) {
                    // the client gave up, as it should
                }
                ex.close();
            });
            server.start();
            try {
                String base = "http://127.0.0.1:" + server.getAddress().getPort();
                String body = "{\"title\":\"From URLs\",\"voices\":[\"" + base + "/a.wav\",\"" + base
                        + "/moved\"],\"texts\":[\"one\",\"two\"],\"tags\":[\"url\"],\"visibility\":\"unlist\","
                        + "\"enhance_audio_quality\":false,\"unknown_field\":{\"x\":1}}";
                TestApi.Response r = post(local, TestApi.KEY, "application/json", body.getBytes(), Map.of());
                assertEquals(201, r.status(), r.body());
                Job job = local.jobs.find(body(r).path("_id").asText()).orElseThrow();
                assertEquals(2, job.samples().size());
                assertEquals("unlist", job.spec().visibility());
                assertFalse(job.spec().enhanceAudioQuality());
                assertEquals(List.of(job.jobId()), local.queue.sent);
                assertTrue(job.sourceKeys().get(0).startsWith("uploads/" + job.jobId() + "/01-a"));

                TestApi.Response big = post(local, TestApi.KEY, "application/json",
                        ("{\"title\":\"t\",\"voices\":\"" + base + "/big\"}").getBytes(), Map.of());
                assertBadRequest(big, "larger than");
                TestApi.Response missing = post(local, TestApi.KEY, "application/json",
                        ("{\"title\":\"t\",\"voices\":\"" + base + "/nothing\"}").getBytes(), Map.of());
                assertBadRequest(missing, "HTTP 404");
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void theSameIdempotencyKeyNeverMakesTwoJobs() {
        TestAudio.Form form = new TestAudio.Form().field("title", "Once")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 8));
        Map<String, String> key = Map.of("idempotency-key", "req-123");
        TestApi.Response first = post(api, TestApi.KEY, form.contentType(), form.bytes(), key);
        TestApi.Response again = post(api, TestApi.KEY, form.contentType(), form.bytes(), key);
        assertEquals(201, first.status(), first.body());
        assertEquals(200, again.status(), again.body());
        assertEquals("true", again.header("idempotent-replayed"));
        assertEquals(body(first).path("_id").asText(), body(again).path("_id").asText());
        assertEquals(1, api.queue.sent.size());

        TestAudio.Form other = new TestAudio.Form().field("title", "Different")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 8));
        assertBadRequest(post(api, TestApi.KEY, other.contentType(), other.bytes(), key), "Idempotency-Key");
        // The same key of another owner is another request.
        TestApi.Response bob = post(api, OTHER_KEY, form.contentType(), form.bytes(), key);
        assertEquals(201, bob.status(), bob.body());
        assertFalse(body(bob).path("_id").asText().equals(body(first).path("_id").asText()));
        assertBadRequest(post(api, TestApi.KEY, form.contentType(), form.bytes(), Map.of("idempotency-key",
                "x".repeat(300))), "Idempotency-Key");
    }

    @Test
    void anIdenticalBodyWithoutKeyIsTheSameRequest() {
        TestAudio.Form form = new TestAudio.Form().field("title", "Twice")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 9));
        TestApi.Response first = multipart(form);
        TestApi.Response second = multipart(form);
        assertEquals(201, first.status());
        assertEquals(200, second.status());
        assertEquals(body(first).path("_id").asText(), body(second).path("_id").asText());
        TestApi.Response changed = multipart(new TestAudio.Form().field("title", "Twice")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 10)));
        assertEquals(201, changed.status(), "other audio is another model");
        assertEquals(2, api.queue.sent.size());
    }

    @Test
    void apiJobsAreVisibleToTheirOwnerOnly() {
        TestApi.Response r = multipart(new TestAudio.Form().field("title", "Mine")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 11)));
        String jobId = body(r).path("_id").asText();
        Map<String, String> bob = Map.of("authorization", "Bearer " + OTHER_KEY);
        assertEquals(200, api.get("/jobs/" + jobId).status());
        assertEquals(404, api.send("GET", "/jobs/" + jobId, bob).status());
        assertEquals(404, api.send("GET", "/fish/model/" + jobId, bob).status());
        TestApi.Response asModel = api.get("/fish/model/" + jobId);
        assertEquals(200, asModel.status(), asModel.body());
        assertEquals("created", body(asModel).path("state").asText());
        assertEquals(jobId, body(asModel).path("_id").asText());
        // Lists: alice sees her job, bob does not; bucket jobs are everyone's.
        api.jobs.createIfAbsent(Samples.queuedJob("bucket-job", java.time.Instant.parse("2026-01-01T00:00:00Z")));
        String aliceList = api.get("/jobs?status=QUEUED").body();
        String bobList = api.send("GET", "/jobs?status=QUEUED", bob).body();
        assertTrue(aliceList.contains(jobId) && aliceList.contains("bucket-job"), aliceList);
        assertFalse(bobList.contains(jobId), bobList);
        assertTrue(bobList.contains("bucket-job"), bobList);
        // An API job whose owner record is missing is nobody's.
        api.ownership.owners.remove(jobId);
        assertEquals(404, api.get("/jobs/" + jobId).status());
    }

    @Test
    void aFailingBucketIs500AndARetryFinishesTheSameJob() {
        TestAudio.Form form = new TestAudio.Form().field("title", "Retry")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 12));
        api.uploads.failWith = new IllegalStateException("S3 down");
        TestApi.Response failed = multipart(form);
        assertEquals(500, failed.status(), failed.body());
        assertFalse(failed.body().contains("S3 down"));
        api.uploads.failWith = null;
        TestApi.Response retried = multipart(form);
        assertEquals(201, retried.status(), retried.body());
        assertEquals(1, api.queue.sent.size());
    }

    @Test
    void tooLargeBodiesAre413() {
        byte[] big = new byte[ApiSettings.MAX_BODY_BYTES + 10];
        TestApi.Response r = post(api, TestApi.KEY, "multipart/form-data; boundary=x", big, Map.of());
        assertEquals(413, r.status(), r.body());
        assertEquals("payload_too_large", body(r).path("error").path("code").asText());
        assertNull(api.queue.sent.isEmpty() ? null : "sent");
    }
}
