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
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.testing.Jobs;
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
        assertError(r, 400, messagePart);
    }

    /** 422 in the envelope, with the reason in the message and as a Fish-style validation item. */
    static void assertInvalid(TestApi.Response r, String messagePart) {
        assertError(r, 422, messagePart);
        boolean itemed = false;
        for (JsonNode item : body(r).path("detail")) {
            itemed |= item.path("msg").asText().contains(messagePart) && item.path("loc").get(0).asText().equals("body");
        }
        assertTrue(itemed, "no detail item for " + messagePart + ": " + r.body());
    }

    private static void assertError(TestApi.Response r, int status, String messagePart) {
        assertEquals(status, r.status(), r.body());
        JsonNode b = body(r);
        assertEquals("bad_request", b.path("error").path("code").asText(), r.body());
        assertTrue(b.path("error").path("message").asText().contains(messagePart), r.body());
        assertFalse(b.path("trace_id").asText().isEmpty());
    }

    /** 202 with the queued job; returns its id. */
    private static String accepted(TestApi.Response r) {
        assertEquals(202, r.status(), r.body());
        String jobId = body(r).path("job_id").asText();
        assertEquals("/jobs/" + jobId, r.header("location"));
        assertEquals(jobId, r.header("x-voicedrop-job-id"));
        return jobId;
    }

    @Test
    void npmStyleMultipartCreatesAQueuedJobWithSamplesUnderUploads() {
        TestAudio.Form form = new TestAudio.Form().field("type", "tts").field("train_mode", "fast")
                .field("title", "Narrator Bob")
                .file("voices", "one.wav", "audio/wav", TestAudio.wav(2, 16000, 1))
                .file("voices", "two.wav", "audio/wav", TestAudio.wav(2, 16000, 2))
                .field("texts", "first text,second text").field("tags", "en,narration");
        TestApi.Response r = multipart(form);
        String jobId = accepted(r);
        JsonNode view = body(r);
        assertEquals("QUEUED", view.path("status").asText());
        assertEquals("Narrator Bob", view.path("title").asText());

        Job job = api.jobs.find(jobId).orElseThrow();
        assertEquals("private", job.spec().visibility());
        assertEquals(List.of("en", "narration"), job.spec().tags());
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
        Job job = api.jobs.find(accepted(multipart(form))).orElseThrow();
        assertEquals("a, with comma", job.samples().get(0).text());
        assertEquals(List.of("x", "y,z"), job.spec().tags());
        assertTrue(job.sourceKeys().get(0).endsWith("/01-upload.wav"), job.sourceKeys().toString());
    }

    @Test
    void aSingleVoiceKeepsCommasInItsText() {
        TestApi.Response r = multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 5)).field("texts", "Hello, world"));
        assertEquals("Hello, world", api.jobs.find(accepted(r)).orElseThrow().samples().get(0).text());
    }

    @Test
    void validationFollowsTheContract() {
        byte[] wav = TestAudio.wav(1, 16000, 6);
        assertInvalid(multipart(new TestAudio.Form().file("voices", "a.wav", "audio/wav", wav)), "title is required");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t")), "voices is required");
        TestAudio.Form many = new TestAudio.Form().field("title", "t");
        for (int i = 0; i < 21; i++) {
            many.file("voices", "v" + i + ".wav", "audio/wav", wav);
        }
        assertInvalid(multipart(many), "at most 20 voices");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", wav).file("voices", "b.wav", "audio/wav", wav)
                .field("texts", "only one")), "one transcript per voice");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t").field("visibility", "unlisted")
                .file("voices", "a.wav", "audio/wav", wav)), "visibility");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t").field("type", "svc")
                .file("voices", "a.wav", "audio/wav", wav)), "type must be tts");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t").field("train_mode", "full")
                .file("voices", "a.wav", "audio/wav", wav)), "train_mode must be fast");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t").field("visibility", "public")
                .file("voices", "a.wav", "audio/wav", wav)), "cover_image");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", "not audio at all".getBytes())), "voices[0]: not audio");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", new byte[0])), "empty");
        assertInvalid(multipart(new TestAudio.Form().field("title", "x".repeat(201))
                .file("voices", "a.wav", "audio/wav", wav)), "title must be at most 200");
        TestAudio.Form tags = new TestAudio.Form().field("title", "t").file("voices", "a.wav", "audio/wav", wav);
        for (int i = 0; i < 21; i++) {
            tags.field("tags", "tag" + i);
        }
        assertInvalid(multipart(tags), "at most 20 tags");
        assertInvalid(multipart(new TestAudio.Form().field("title", "t").field("enhance_audio_quality", "maybe")
                .file("voices", "a.wav", "audio/wav", wav)), "enhance_audio_quality");
        assertInvalid(json("{\"title\":\"t\"}"), "voices is required");
        assertInvalid(json("{\"voices\":[\"https://example.org/a.wav\"]}"), "title is required");
        assertBadRequest(json("[1,2]"), "JSON object");
        assertBadRequest(json("{\"title\":"), "not valid JSON");
        assertInvalid(json("{\"title\":5,\"voices\":\"https://example.org/a.wav\"}"), "title must be a string");
        assertInvalid(json("{\"title\":\"t\",\"voices\":[1]}"), "voices must be");
        assertInvalid(json("{\"title\":\"t\",\"voices\":[\"a\",\"b\"],\"texts\":[\"x\"]}"),
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
        assertInvalid(r, "private, loopback, link-local or reserved address");
        assertInvalid(json("{\"title\":\"t\",\"voices\":\"http://169.254.169.254/latest/meta-data/\"}"),
                "private, loopback, link-local or reserved address");
        assertInvalid(json("{\"title\":\"t\",\"voices\":[\"file:///etc/passwd\"]}"),
                "only https URLs are accepted");
        assertInvalid(json("{\"title\":\"t\",\"voices\":[\"http://user:pw@example.org/a.wav\"]}"), "user info");
        assertTrue(api.queue.sent.isEmpty());
    }

    @Test
    void jsonVoiceUrlsAreDownloadedStoredAndQueued() throws Exception {
        try (TestApi local = new TestApi(ApiSettings.defaults().withLocalVoiceUrls(true)
                .withCreateWait(java.time.Duration.ZERO))) {
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
                Job job = local.jobs.find(accepted(r)).orElseThrow();
                assertEquals(2, job.samples().size());
                assertEquals("unlist", job.spec().visibility());
                assertFalse(job.spec().enhanceAudioQuality());
                assertEquals(List.of(job.jobId()), local.queue.sent);
                assertTrue(job.sourceKeys().get(0).startsWith("uploads/" + job.jobId() + "/01-a"));

                TestApi.Response big = post(local, TestApi.KEY, "application/json",
                        ("{\"title\":\"t\",\"voices\":\"" + base + "/big\"}").getBytes(), Map.of());
                assertInvalid(big, "larger than");
                TestApi.Response missing = post(local, TestApi.KEY, "application/json",
                        ("{\"title\":\"t\",\"voices\":\"" + base + "/nothing\"}").getBytes(), Map.of());
                assertInvalid(missing, "HTTP 404");
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
        String jobId = accepted(first);
        assertEquals(jobId, accepted(again), "the retry answers the first request's job");
        assertEquals("true", again.header("idempotent-replayed"));
        assertNull(first.header("idempotent-replayed"));
        assertEquals(1, api.queue.sent.size());

        TestAudio.Form other = new TestAudio.Form().field("title", "Different")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 8));
        assertBadRequest(post(api, TestApi.KEY, other.contentType(), other.bytes(), key), "Idempotency-Key");
        // The same key of another owner is another request.
        TestApi.Response bob = post(api, OTHER_KEY, form.contentType(), form.bytes(), key);
        assertFalse(accepted(bob).equals(jobId));
        assertBadRequest(post(api, TestApi.KEY, form.contentType(), form.bytes(), Map.of("idempotency-key",
                "x".repeat(300))), "Idempotency-Key");
    }

    @Test
    void anIdenticalBodyWithoutKeyIsTheSameRequest() {
        TestAudio.Form form = new TestAudio.Form().field("title", "Twice")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 9));
        TestApi.Response first = multipart(form);
        TestApi.Response second = multipart(form);
        assertEquals(accepted(first), accepted(second));
        assertEquals("true", second.header("idempotent-replayed"));
        TestApi.Response changed = multipart(new TestAudio.Form().field("title", "Twice")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 10)));
        accepted(changed); // other audio is another model
        assertEquals(2, api.queue.sent.size());
    }

    @Test
    void apiJobsAreVisibleToTheirOwnerOnly() {
        TestApi.Response r = multipart(new TestAudio.Form().field("title", "Mine")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 11)));
        String jobId = accepted(r);
        Map<String, String> bob = Map.of("authorization", "Bearer " + OTHER_KEY);
        assertEquals(200, api.get("/jobs/" + jobId).status());
        assertEquals(404, api.send("GET", "/jobs/" + jobId, bob).status());
        assertEquals(404, api.send("GET", "/fish/model/" + jobId, bob).status());
        TestApi.Response asModel = api.get("/fish/model/" + jobId);
        assertEquals(200, asModel.status(), asModel.body());
        assertEquals("created", body(asModel).path("state").asText());
        assertEquals(jobId, body(asModel).path("_id").asText());
        // Lists: alice sees her job, bob does not; bucket jobs are everyone's.
        api.jobs.createIfAbsent(Jobs.queued("bucket-job", java.time.Instant.parse("2026-01-01T00:00:00Z")).build());
        String aliceList = api.get("/jobs?status=QUEUED").body();
        String bobList = api.send("GET", "/jobs?status=QUEUED", bob).body();
        assertTrue(aliceList.contains(jobId) && aliceList.contains("bucket-job"), aliceList);
        assertFalse(bobList.contains(jobId), bobList);
        assertTrue(bobList.contains("bucket-job"), bobList);
        // The job names its owner, so the owner record is not even read for it.
        assertEquals("alice", api.jobs.find(jobId).orElseThrow().owner());
        api.ownership.owners.remove(jobId);
        assertEquals(200, api.get("/jobs/" + jobId).status());
        assertEquals(404, api.send("GET", "/jobs/" + jobId, bob).status());
        // An API job stored before jobs named their owner: the owner record decides, and without one it is nobody's.
        api.jobs.createIfAbsent(Jobs.viaApi("legacy-job", java.time.Instant.parse("2026-01-02T00:00:00Z"), null).build());
        assertEquals(404, api.get("/jobs/legacy-job").status());
        api.ownership.owners.put("legacy-job", "alice");
        assertEquals(200, api.get("/jobs/legacy-job").status());
        assertEquals(404, api.send("GET", "/jobs/legacy-job", bob).status());
        assertFalse(api.send("GET", "/jobs", bob).body().contains("legacy-job"), "listed to another owner");
        assertTrue(api.get("/jobs").body().contains("legacy-job"), "a legacy job is listed to its owner");
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
        accepted(retried);
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

    @Test
    void everyProblemIsReportedAtOnceAndNothingIsStored() {
        TestApi.Response r = multipart(new TestAudio.Form().field("visibility", "secret")
                .field("enhance_audio_quality", "perhaps")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 20))
                .file("voices", "notes.wav", "audio/wav", "plain text, not audio".getBytes())
                .field("texts", "one"));
        for (String reason : List.of("title is required", "visibility must be one of", "enhance_audio_quality",
                "voices[1]: not", "one transcript per voice")) {
            assertInvalid(r, reason);
        }
        JsonNode voiceItem = null;
        for (JsonNode item : body(r).path("detail")) {
            if (item.path("msg").asText().startsWith("voices[1]")) {
                voiceItem = item;
            }
        }
        assertNotNull(voiceItem, r.body());
        assertEquals("[\"body\",\"voices\",1]", voiceItem.path("loc").toString());
        assertTrue(api.queue.sent.isEmpty() && api.uploads.objects.isEmpty());

        // A refused request claims nothing: the same key works once the request is fixed.
        Map<String, String> key = Map.of("idempotency-key", "fix-and-retry");
        TestAudio.Form bad = new TestAudio.Form().file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 21));
        assertInvalid(post(api, TestApi.KEY, bad.contentType(), bad.bytes(), key), "title is required");
        TestAudio.Form fixed = new TestAudio.Form().field("title", "Fixed")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 21));
        accepted(post(api, TestApi.KEY, fixed.contentType(), fixed.bytes(), key));
    }

    @Test
    void aCoverImageFileIsStoredWithTheSamplesAndAnythingElseIsRefused() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        TestApi.Response r = multipart(new TestAudio.Form().field("title", "Public one").field("visibility", "public")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 22))
                .file("cover_image", "cover.png", "image/png", png));
        Job job = api.jobs.find(accepted(r)).orElseThrow();
        String coverKey = "uploads/" + job.jobId() + "/cover.png";
        assertTrue(api.uploads.objects.containsKey("test-bucket/" + coverKey), api.uploads.objects.keySet().toString());
        assertEquals("s3://test-bucket/" + coverKey, job.spec().coverImage());
        assertEquals(java.util.Optional.of(coverKey), job.spec().storedCoverKey("test-bucket"));
        assertFalse(api.get("/jobs/" + job.jobId()).body().contains("s3://"), "the stored cover stays internal");

        assertInvalid(multipart(new TestAudio.Form().field("title", "t")
                .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 23))
                .file("cover_image", "cover.png", "image/png", "<svg/>".getBytes())), "cover_image is not a PNG");
    }

    @Test
    void aModelCreatedWithinTheWaitIsAnswered201AsUpstreamWould() {
        try (TestApi waiting = new TestApi(ApiSettings.defaults().withCreateWait(java.time.Duration.ofSeconds(5)))) {
            waiting.queue.worker = jobId -> playWorker(waiting, jobId, job -> {
                ModelEntity model = Samples.model("upstream-" + jobId.substring(0, 8), job.spec().title(),
                        job.spec().tags(), List.of("en"), "2026-11-27T10:00:00Z", "author-1");
                waiting.catalog.save(new CatalogEntry(model, jobId, job.sourceKeys(), "en"));
                return job.withModel(model.id(), JobStatus.SUCCEEDED, java.time.Instant.now());
            });
            TestAudio.Form form = new TestAudio.Form().field("title", "Quick")
                    .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 24));
            TestApi.Response r = post(waiting, TestApi.KEY, form.contentType(), form.bytes(), Map.of());
            assertEquals(201, r.status(), r.body());
            JsonNode model = body(r);
            assertTrue(model.path("_id").asText().startsWith("upstream-"), r.body());
            assertEquals("Quick", model.path("title").asText());
            for (String field : ModelApiTest.STRICT_FIELDS) {
                assertTrue(model.has(field) && !model.get(field).isNull(), field + " missing: " + model);
            }
            assertEquals("/fish/model/" + model.path("_id").asText(), r.header("location"));
            String jobId = r.header("x-voicedrop-job-id");
            assertEquals(model.path("_id").asText(), waiting.jobs.find(jobId).orElseThrow().modelId());

            TestApi.Response again = post(waiting, TestApi.KEY, form.contentType(), form.bytes(), Map.of());
            assertEquals(201, again.status(), again.body());
            assertEquals(model.path("_id").asText(), body(again).path("_id").asText());
            assertEquals("true", again.header("idempotent-replayed"));
            assertEquals(1, waiting.queue.sent.size());
        }
    }

    @Test
    void aJobTheUpstreamRefusesWithinTheWaitAnswersTheRefusal() {
        try (TestApi waiting = new TestApi(ApiSettings.defaults().withCreateWait(java.time.Duration.ofSeconds(5)))) {
            waiting.queue.worker = jobId -> playWorker(waiting, jobId, job -> job.failed(new JobError("bad_request",
                    "voices could not be fetched from https://b.s3.amazonaws.com/k?X-Amz-Signature=abc", 422, "t-1"),
                    java.time.Instant.now()));
            TestAudio.Form form = new TestAudio.Form().field("title", "Refused")
                    .file("voices", "a.wav", "audio/wav", TestAudio.wav(1, 16000, 25));
            TestApi.Response r = post(waiting, TestApi.KEY, form.contentType(), form.bytes(), Map.of());
            assertError(r, 422, "The upstream refused the model");
            assertFalse(r.body().contains("X-Amz") || r.body().contains("s3.amazonaws.com"), r.body());
            assertEquals("/jobs/" + r.header("x-voicedrop-job-id"), r.header("location"));
        }
    }

    /** Does what the worker would, a moment after the job was enqueued (after the API marked it enqueued). */
    private static void playWorker(TestApi api, String jobId, java.util.function.UnaryOperator<Job> work) {
        for (int i = 0; i < 50; i++) {
            Job job = api.jobs.find(jobId).orElseThrow();
            if (job.enqueuedAt() != null) {
                api.jobs.update(work.apply(job));
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void voiceUrlsRedirectingIntoThePrivateNetworkAreRefusedThroughTheWholeRequest() throws Exception {
        // One local server plays a public voice host (a resolver stub says so; a proxy routes the requests to it).
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            String target = ex.getRequestURI().getPath().equals("/metadata.wav")
                    ? "http://169.254.169.254/latest/meta-data/iam/" : "http://internal.example.test/voice.wav";
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
        io.voicedrop.adapters.http.OutboundGuard.Resolver resolver = host -> switch (host) {
            case "voices.example.test" -> new java.net.InetAddress[] {
                    java.net.InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
            case "internal.example.test" -> new java.net.InetAddress[] {
                    java.net.InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
            default -> java.net.InetAddress.getAllByName(host);
        };
        java.net.http.HttpClient viaServer = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(server.getAddress())).build();
        // Plain http for the first hop only because the local server has no TLS; private addresses stay refused.
        VoiceFetcher fetcher = new VoiceFetcher(resolver, new io.voicedrop.adapters.http.OutboundGuard.Policy(true, false), 1 << 20, viaServer);
        try (TestApi guarded = new TestApi(ApiSettings.defaults().withCreateWait(java.time.Duration.ZERO), fetcher)) {
            TestApi.Response r = post(guarded, TestApi.KEY, "application/json", ("{\"title\":\"t\",\"voices\":["
                    + "\"http://voices.example.test/metadata.wav\",\"http://voices.example.test/inside.wav\"]}")
                    .getBytes(StandardCharsets.UTF_8), Map.of());
            assertInvalid(r, "voices[0]: a redirect led to a host that resolves to a private");
            assertInvalid(r, "voices[1]: a redirect led to a host that resolves to a private");
            assertEquals(2, hits.get(), "only the two first hops were requested");
            assertTrue(guarded.queue.sent.isEmpty() && guarded.uploads.objects.isEmpty());
        } finally {
            server.stop(0);
        }
    }
}
