package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.testing.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /uploads} and {@code GET /uploads/{id}} through the real handler (the signer only records). */
class UploadApiTest {

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TestApi.Response post(String json) {
        return post("application/json", json);
    }

    private TestApi.Response post(String contentType, String body) {
        APIGatewayV2HTTPEvent e = HttpApiEvents.request("POST", "/uploads", Map.of("authorization",
                "Bearer " + TestApi.KEY, "content-type", contentType,
                "content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)));
        e.setBody(body);
        return api.send(e);
    }

    private static JsonNode body(TestApi.Response r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static List<String> messages(TestApi.Response r) {
        List<String> out = new ArrayList<>();
        body(r).path("detail").forEach(d -> out.add(d.path("msg").asText()));
        return out;
    }

    @Test
    void aValidRequestGetsOneFormPerFileWithKeysChosenHereAndTheManifestLast() throws Exception {
        TestApi.Response r = post("""
                {"title": "Narrator – Zoë", "description": "calm", "tags": ["en", "narration"], "language": "en",
                 "visibility": "private", "enhance_audio_quality": false, "strict": true,
                 "files": [{"name": "alice/Take 1 (final).WAV", "size": 120000, "text": "Hello there."},
                           {"name": "../../etc/passwd.mp3", "size": 5000, "text": "Second."}]}""");
        assertEquals(201, r.status(), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        JsonNode b = body(r);
        String id = b.path("upload_id").asText();
        assertTrue(id.matches("narrator-zoe-[0-9a-f]{12}"), id);
        assertEquals("/uploads/" + id, r.header("Location"));
        String folder = "incoming/" + id + "/";
        assertEquals(folder, b.path("folder").asText());
        assertEquals(folder + "01-Take-1-final.wav", b.path("files").get(0).path("key").asText());
        assertEquals(folder + "02-passwd.mp3", b.path("files").get(1).path("key").asText(),
                "a path in the name never leaves the folder");
        assertEquals("audio/wav", b.path("files").get(0).path("content_type").asText());
        assertEquals("audio/mpeg", b.path("files").get(1).path("content_type").asText());
        assertEquals(folder + "model.json", b.path("manifest").path("key").asText());
        assertEquals("status/" + id + "/model.json.json", b.path("status_key").asText());

        JsonNode manifest = Json.MAPPER.readTree(b.path("manifest").path("content").asText());
        assertEquals("Narrator – Zoë", manifest.path("title").asText());
        assertEquals("calm", manifest.path("description").asText());
        assertEquals(List.of("en", "narration"), List.of(manifest.path("tags").get(0).asText(),
                manifest.path("tags").get(1).asText()));
        assertEquals("en", manifest.path("language").asText());
        assertEquals(false, manifest.path("enhance_audio_quality").asBoolean(true));
        assertEquals(true, manifest.path("strict").asBoolean());
        assertEquals("01-Take-1-final.wav", manifest.path("samples").get(0).path("file").asText());
        assertEquals("Hello there.", manifest.path("samples").get(0).path("text").asText());
        assertEquals("Second.", manifest.path("samples").get(1).path("text").asText());

        List<RecordingFormSigner.Signed> signed = api.formSigner.signed;
        assertEquals(3, signed.size());
        assertEquals(new RecordingFormSigner.Signed("test-bucket", folder + "01-Take-1-final.wav", "audio/wav",
                120000, 120000, Duration.ofHours(1)), signed.get(0));
        long manifestBytes = b.path("manifest").path("content").asText().getBytes(StandardCharsets.UTF_8).length;
        assertEquals(new RecordingFormSigner.Signed("test-bucket", folder + "model.json", "application/json",
                manifestBytes, manifestBytes, Duration.ofHours(1)), signed.get(2), "exactly the manifest shown");
        assertEquals("test-policy", b.path("files").get(0).path("form").path("fields").path("policy").asText());
    }

    @Test
    void withoutTextsTheManifestListsTheFilesOnly() throws Exception {
        TestApi.Response r = post("{\"title\": \"t\", \"files\": [{\"name\": \"a.flac\", \"size\": 10}]}");
        assertEquals(201, r.status(), r.body());
        JsonNode manifest = Json.MAPPER.readTree(body(r).path("manifest").path("content").asText());
        assertEquals("01-a.flac", manifest.path("samples").get(0).asText());
        assertTrue(manifest.path("language").isMissingNode());
    }

    @Test
    void everyProblemIsReportedAtOnceAndNothingIsSigned() {
        TestApi.Response r = post("""
                {"title": " ", "visibility": "everyone", "tags": ["vd-job-x"],
                 "files": [{"name": "notes.txt", "size": 10}, {"name": ".DS_Store.wav", "size": 10},
                           {"name": "empty.wav", "size": 0}, {"name": "huge.wav", "size": 99999999999},
                           {"name": "ok.wav", "size": 10, "text": "only one text"}]}""");
        assertEquals(422, r.status(), r.body());
        List<String> m = messages(r);
        String all = String.join(" | ", m);
        for (String expected : List.of("title: required", "notes.txt: not an audio file name",
                ".DS_Store.wav: hidden files are not samples", "empty.wav: the file is empty",
                "huge.wav: 99999999999 bytes, over the limit", "visibility", "vd-job-", "text")) {
            assertTrue(all.contains(expected), "missing \"" + expected + "\" in " + all);
        }
        assertEquals("bad_request", body(r).path("error").path("code").asText());
        assertEquals(List.of(), api.formSigner.signed, "nothing is signed for a request that cannot work");

        TestApi.Response none = post("{\"title\": \"t\", \"files\": []}");
        assertEquals(422, none.status());
        assertTrue(messages(none).get(0).contains("at least one audio file"), none.body());
        StringBuilder many = new StringBuilder("{\"title\": \"t\", \"files\": [");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"name\": \"s").append(i).append(".wav\", \"size\": 5}");
        }
        TestApi.Response tooMany = post(many.append("]}").toString());
        assertEquals(422, tooMany.status());
        assertTrue(String.join(" ", messages(tooMany)).contains("at most 20 samples"), tooMany.body());
    }

    @Test
    void malformedRequestsAreClearErrors() {
        TestApi.Response unknown = post("{\"title\": \"t\", \"titel\": \"x\", \"files\": [{\"name\": \"a.wav\","
                + " \"size\": \"ten\", \"colour\": 1}]}");
        assertEquals(422, unknown.status(), unknown.body());
        String all = String.join(" | ", messages(unknown));
        assertTrue(all.contains("titel is not a field"), all);
        assertTrue(all.contains("files[0].colour is not a field"), all);
        assertTrue(all.contains("files[0].size must be the file's size in bytes"), all);
        assertEquals(400, post("not json").status());
        assertEquals(400, post("[1]").status());
        TestApi.Response text = post("text/plain", "{}");
        assertEquals(415, text.status(), text.body());
        TestApi.Response noKey = api.send(HttpApiEvents.request("POST", "/uploads", Map.of(
                "content-type", "application/json")));
        assertEquals(401, noKey.status());
    }

    @Test
    void progressFollowsTheManifestToItsJob() {
        JsonNode plan = body(post("{\"title\": \"Follow me\", \"files\": [{\"name\": \"a.wav\", \"size\": 10}]}"));
        String id = plan.path("upload_id").asText();
        TestApi.Response waiting = api.get("/uploads/" + id);
        assertEquals(200, waiting.status(), waiting.body());
        assertEquals("no-store", waiting.header("Cache-Control"));
        assertEquals("waiting_for_manifest", body(waiting).path("stage").asText());
        assertTrue(body(waiting).path("job").isNull());

        UploadedObject manifest = api.uploadStore.put("test-bucket", "incoming/" + id + "/model.json", "\"abc\"", 90);
        assertEquals("waiting_for_ingest", body(api.get("/uploads/" + id)).path("stage").asText());

        String jobId = UploadIngestor.jobIdFor(manifest);
        api.jobs.createIfAbsent(Jobs.rejected(jobId, "a.wav: not audio: text").sourceKeys(List.of(manifest.key()))
                .spec(ModelSpec.titled("Follow me")).build());
        JsonNode job = body(api.get("/uploads/" + id));
        assertEquals("job", job.path("stage").asText());
        assertEquals(jobId, job.path("job").path("job_id").asText());
        assertEquals("REJECTED", job.path("job").path("status").asText());
        assertEquals("a.wav: not audio: text", job.path("job").path("reasons").get(0).asText());

        for (String bad : List.of("nope", "UPPER-0123456789ab", "a-0123456789abc", "..%2F..-0123456789ab",
                "x".repeat(300))) {
            TestApi.Response r = api.get("/uploads/" + bad);
            assertEquals(404, r.status(), bad + ": " + r.body());
        }
    }
}
