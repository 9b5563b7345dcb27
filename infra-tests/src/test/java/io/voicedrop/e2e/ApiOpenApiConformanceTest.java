package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real responses of the running local API (moto, the real handlers, the Fish simulator upstream) against the
 * OpenAPI document the API itself serves at {@code /openapi.yaml}: status documented, content type documented, body
 * valid for the documented schema, documented headers present and well-formed. The document is checked
 * <em>closed</em>: a field the API sends but the document leaves out fails too. Every ModelEntity the API answers is
 * also held to the strict rule of reference section 6.2 ({@link ApiStrictEntity}), independently of the document.
 */
class ApiOpenApiConformanceTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static ApiContract contract;
    private static String bucketJobId;
    private static String modelId;
    private static String postJobId;

    @BeforeAll
    static void aModelFromTheBucketAndOneFromThePost() {
        contract = ApiContract.fetch(true);
        bucketJobId = Pipeline.upload("incoming/openapi " + RUN + ".wav", speech(31));
        JsonNode job = Pipeline.awaitTerminal(bucketJobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        modelId = job.path("model_id").asText();
        HttpResponse<String> created = ApiCalls.createMultipart(stack().apiToken, "openapi post " + RUN,
                List.of("openapi-" + RUN), speech(12));
        assertEquals(201, created.statusCode(), created.body());
        contract.assertConforms("POST", created);
        postJobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
    }

    private static JsonNode get(String pathAndQuery, int status) {
        HttpResponse<String> r = Pipeline.get(pathAndQuery);
        assertEquals(status, r.statusCode(), pathAndQuery + ": " + r.body());
        return contract.assertConforms("GET", r);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void modelListsConform() {
        get("/fish/model", 200);
        get("/fish/model?page_size=5&page_number=2", 200);
        JsonNode mine = get("/fish/model?title=" + q("openapi " + RUN) + "&page_size=100", 200);
        assertEquals(1, mine.path("total").asLong(), mine.toString());
        get("/fish/model?tag=openapi-" + RUN + "&self=true&sort_by=created_at", 200);
        get("/fish/model?page_number=100000", 200);
    }

    @Test
    void oneModelConformsAndAnUnknownOneIsADocumented404() {
        assertEquals(modelId, get("/fish/model/" + modelId, 200).path("_id").asText());
        get("/fish/model/" + postJobId, 200);
        JsonNode missing = get("/fish/model/no-such-model-" + RUN, 404);
        assertEquals("not_found", missing.path("error").path("code").asText());
        get("/models/" + modelId + "/source", 200);
        get("/models/no-such-model-" + RUN + "/source", 404);
        assertEquals(1, get("/models/" + modelId + "/samples", 200).path("samples").size());
        get("/models/no-such-model-" + RUN + "/samples", 404);
        get("/models/" + modelId + "/preview", 404); // made without preview_text
        get("/models/no-such-model-" + RUN + "/preview", 404);
    }

    @Test
    void aSpokenPreviewAndItsJobConform() {
        String folder = "incoming/openapi preview " + RUN + "/";
        Pipeline.upload(folder + "take.wav", speech(31));
        String jobId = Pipeline.upload(folder + "model.json",
                "{\"preview_text\": \"Conforming.\"}".getBytes(StandardCharsets.UTF_8));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("stored", get("/jobs/" + jobId, 200).path("preview").path("state").asText(), job.toString());
        JsonNode link = get("/models/" + job.path("model_id").asText() + "/preview", 200);
        assertEquals("audio/mpeg", link.path("content_type").asText());
    }

    @Test
    void jobsAndJobListsConform() {
        assertEquals(bucketJobId, get("/jobs/" + bucketJobId, 200).path("job_id").asText());
        get("/jobs/" + postJobId, 200);
        get("/jobs/no-such-job-" + RUN, 404);
        JsonNode page = get("/jobs?status=SUCCEEDED&limit=2", 200);
        assertTrue(page.path("items").size() >= 1, page.toString());
        if (!page.path("next_cursor").isNull()) {
            get("/jobs?status=SUCCEEDED&limit=2&cursor=" + q(page.path("next_cursor").asText()), 200);
        }
        get("/jobs?status=rejected", 200);
        JsonNode newest = get("/jobs?limit=2", 200);
        assertTrue(newest.path("items").size() >= 1, newest.toString());
        if (!newest.path("next_cursor").isNull()) {
            get("/jobs?limit=2&cursor=" + q(newest.path("next_cursor").asText()), 200);
        }
    }

    @Test
    void badRequestsAreDocumented400s() {
        for (String path : List.of("/fish/model?page_size=0", "/fish/model?page_size=101", "/fish/model?self=maybe",
                "/fish/model?sort_by=likes", "/jobs?status=DONE", "/jobs?status=QUEUED&limit=0",
                "/jobs?status=QUEUED&cursor=not-a-cursor", "/jobs?cursor=not-a-cursor", "/jobs?limit=101")) {
            JsonNode body = get(path, 400);
            assertEquals("bad_request", body.path("error").path("code").asText(), path);
        }
        HttpResponse<String> noTitle = ApiCalls.send("POST", "/fish/model", ApiCalls.bearer(stack().apiToken),
                "application/json",
                "{\"voices\":[\"https://example.invalid/a.wav\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, noTitle.statusCode(), noTitle.body());
        assertEquals("title is required", contract.assertConforms("POST", noTitle).path("detail").get(0)
                .path("msg").asText());
    }

    @Test
    void missingAndWrongKeysAreDocumented401s() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), ApiCalls.bearer("vd_unknown" + RUN),
                Map.of("Authorization", "Basic dXNlcjpwYXNz"))) {
            for (String path : List.of("/fish/model", "/fish/model/" + modelId, "/jobs/" + bucketJobId,
                    "/jobs?status=QUEUED", "/models/" + modelId + "/source", "/models/" + modelId + "/samples",
                    "/uploads/openapi-0123456789ab")) {
                HttpResponse<String> r = ApiCalls.get(path, headers);
                assertEquals(401, r.statusCode(), path + " " + headers + ": " + r.body());
                assertEquals("invalid_token", contract.assertConforms("GET", r).path("error").path("code").asText());
            }
        }
    }

    @Test
    void aCreateAnswers201WithTheModelAndItsRepeatTheSameModel() {
        byte[] voice = speech(13);
        String title = "openapi repeat " + RUN;
        HttpResponse<String> first = ApiCalls.createMultipart(stack().apiToken, title, List.of("a", "b"), voice);
        assertEquals(201, first.statusCode(), first.body());
        JsonNode created = contract.assertConforms("POST", first);
        assertEquals("trained", created.path("state").asText());
        assertEquals("/fish/model/" + created.path("_id").asText(),
                first.headers().firstValue("Location").orElse(null));
        HttpResponse<String> again = ApiCalls.createMultipart(stack().apiToken, title, List.of("a", "b"), voice);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(created.path("_id").asText(), contract.assertConforms("POST", again).path("_id").asText());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    }

    @Test
    void aCreateStillOnItsWayAnswers202WithTheJob() {
        String noWait = stack().pipeline.startApi(Map.of("API_CREATE_WAIT_SECONDS", "0"));
        ApiCalls.Form form = new ApiCalls.Form().field("title", "openapi 202 " + RUN)
                .file("voices", "v.wav", "audio/wav", speech(14));
        HttpResponse<String> r = ApiCalls.send(noWait, "POST", "/fish/model", ApiCalls.bearer(stack().apiToken),
                form.contentType(), form.bytes());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode job = contract.assertConforms("POST", r);
        assertEquals("/jobs/" + job.path("job_id").asText(), r.headers().firstValue("Location").orElse(null));
        Pipeline.awaitTerminal(job.path("job_id").asText());
    }

    private static JsonNode conforms(String method, HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), method + " " + r.request().uri() + ": " + r.body());
        return contract.assertConforms(method, r);
    }

    @Test
    void editAnswersConform() {
        String[] made = VoiceEditTest.bucketModel("openapi edit " + RUN, "openapi-edit-" + RUN);
        String token = stack().apiToken;
        JsonNode edited = conforms("PATCH", Lifecycle.patchJson(token, made[1], "{\"title\":\"openapi edited "
                + RUN + "\"}"), 200);
        ApiStrictEntity.check(edited, "PATCH /fish/model/{id}");
        conforms("PATCH", Lifecycle.patchForm(token, made[1], Map.of("description", List.of("form"))), 200);
        conforms("PATCH", Lifecycle.patchMultipart(token, made[1], new ApiCalls.Form().field("tags", "a,b")), 200);
        conforms("PATCH", Lifecycle.patchJson(token, made[1], "{\"visibility\":\"nobody\"}"), 422);
        conforms("PATCH", Lifecycle.patchJson(token, "no-such-" + RUN, "{\"title\":\"x\"}"), 404);
        conforms("PATCH", Lifecycle.patchJson(token, "x".repeat(129), "{\"title\":\"x\"}"), 400);
        conforms("PATCH", ApiCalls.send("PATCH", "/fish/model/" + made[1], ApiCalls.bearer(token), "text/plain",
                "x".getBytes(StandardCharsets.UTF_8)), 415);
        stack().simulator.setEdits(io.voicedrop.sim.FishSimulator.EditOffer.NOT_IMPLEMENTED);
        try {
            JsonNode notOffered = conforms("PATCH", Lifecycle.patchJson(token, made[1], "{\"title\":\"x\"}"), 400);
            assertEquals("api_not_implemented", notOffered.path("error").path("code").asText());
            conforms("DELETE", Lifecycle.delete(token, made[1]), 400);
        } finally {
            stack().simulator.setEdits(io.voicedrop.sim.FishSimulator.EditOffer.OFFERED);
        }
        stack().simulator.failNextUpdates(10, 503);
        try {
            HttpResponse<String> unavailable = Lifecycle.patchJson(token, made[1], "{\"title\":\"x\"}");
            conforms("PATCH", unavailable, 503);
            assertTrue(unavailable.headers().firstValue("Retry-After").isPresent());
        } finally {
            stack().simulator.clearScripts(); // drop the 503s not used
        }
    }

    @Test
    void deleteAndCancelAnswersConform() {
        String[] made = VoiceEditTest.bucketModel("openapi delete " + RUN, "openapi-del-" + RUN);
        String token = stack().apiToken;
        JsonNode deleted = conforms("DELETE", Lifecycle.delete(token, made[1]), 200);
        assertEquals("ok", deleted.path("status").asText());
        conforms("GET", Pipeline.get("/jobs/" + deleted.path("job").path("job_id").asText()), 200);
        conforms("GET", Pipeline.get("/jobs/" + made[0]), 200); // the tombstone
        conforms("DELETE", Lifecycle.delete(token, made[1]), 404);
        conforms("DELETE", Lifecycle.delete(token, "%C3%A9"), 400);
        conforms("DELETE", Lifecycle.cancel(token, made[0]), 409);
        conforms("DELETE", Lifecycle.cancel(token, "no-such-job-" + RUN), 404);

        String noWait = stack().pipeline.startApi(Map.of("API_CREATE_WAIT_SECONDS", "0"));
        String[] other = VoiceEditTest.bucketModel("openapi delete 202 " + RUN, "openapi-del2-" + RUN);
        HttpResponse<String> pending = ApiCalls.send(noWait, "DELETE", "/fish/model/" + other[1],
                ApiCalls.bearer(token), null, null);
        assertEquals(202, pending.statusCode(), pending.body());
        assertEquals("pending", contract.assertConforms("DELETE", pending).path("status").asText());
        Pipeline.awaitJob(pending.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow(),
                j -> j.path("status").asText().equals("DELETED"), java.time.Duration.ofSeconds(60));

        io.voicedrop.core.port.UpstreamPause pause = stack().pipeline.context()
                .getBean(io.voicedrop.core.port.UpstreamPause.class);
        pause.pause("used_up", "held for the test", java.time.Instant.now().plusSeconds(600));
        try {
            String held = Pipeline.upload("incoming/openapi cancel " + RUN + ".wav", speech(31));
            Pipeline.awaitJob(held, j -> j.path("status").asText().equals("QUEUED"), java.time.Duration.ofSeconds(30));
            assertEquals("CANCELLED", conforms("DELETE", Lifecycle.cancel(token, held), 200).path("status").asText());
        } finally {
            pause.resume();
        }
    }

    @Test
    void theDocumentItselfIsServedWithoutAKey() {
        HttpResponse<String> r = Pipeline.get("/openapi.yaml", null);
        assertEquals(200, r.statusCode());
        contract.assertConforms("GET", r);
    }

    /** Section 6.2 on every ModelEntity the API answers: lists, one model, a job shown as a model, a create. */
    @Test
    void everyListedAndFetchedModelHasEveryStrictField() {
        ApiStrictEntity.checkList(get("/fish/model?page_size=100", 200), "GET /fish/model");
        JsonNode mine = get("/fish/model?title=" + q("openapi " + RUN), 200);
        ApiStrictEntity.checkList(mine, "GET /fish/model?title");
        assertEquals(1, mine.path("items").size(), mine.toString());
        ApiStrictEntity.check(get("/fish/model/" + modelId, 200), "GET /fish/model/{id}");
        ApiStrictEntity.check(get("/fish/model/" + postJobId, 200), "GET /fish/model/{job id}");
        HttpResponse<String> created = ApiCalls.createMultipart(stack().apiToken, "openapi strict " + RUN,
                List.of(), speech(11));
        assertEquals(201, created.statusCode(), created.body());
        ApiStrictEntity.check(contract.assertConforms("POST", created), "POST /fish/model");
    }

    /** The checks above could pass by checking nothing; they must reject what a strict client rejects. */
    @Test
    void theCheckersRejectBrokenEntities() {
        JsonNode real = get("/fish/model/" + modelId, 200);
        JsonNode entity = contract.component("ModelEntity");
        assertTrue(contract.violations(entity, real).isEmpty());
        for (String field : List.of("_id", "description", "samples", "author", "like_count", "liked")) {
            ObjectNode missing = real.deepCopy();
            missing.remove(field);
            assertFalse(contract.violations(entity, missing).isEmpty(), "missing " + field + " passed the schema");
            assertThrows(AssertionError.class, () -> ApiStrictEntity.check(missing, "missing " + field));
            ObjectNode nulled = real.deepCopy();
            nulled.putNull(field);
            assertFalse(contract.violations(entity, nulled).isEmpty(), "null " + field + " passed the schema");
            assertThrows(AssertionError.class, () -> ApiStrictEntity.check(nulled, "null " + field));
        }
        ObjectNode ready = real.deepCopy();
        ready.put("state", "ready");
        assertFalse(contract.violations(entity, ready).isEmpty(), "state=ready passed the schema");
        assertThrows(AssertionError.class, () -> ApiStrictEntity.check(ready, "state=ready"));
        ObjectNode badDate = real.deepCopy();
        badDate.put("created_at", "yesterday");
        assertFalse(contract.violations(entity, badDate).isEmpty(), "created_at=yesterday passed the schema");
        ObjectNode extra = real.deepCopy();
        extra.put("undocumented", 1);
        assertFalse(contract.violations(entity, extra).isEmpty(), "an undocumented field passed the closed schema");
        // nullable as the document means it: a job without error or next attempt is valid, a string error is not
        JsonNode job = get("/jobs/" + bucketJobId, 200);
        assertTrue(job.path("error").isNull() && job.path("next_attempt_at").isNull(), job.toString());
        ObjectNode badError = job.deepCopy();
        badError.put("error", "boom");
        assertFalse(contract.violations(contract.component("Job"), badError).isEmpty(), "error=\"boom\" passed");
    }
}
