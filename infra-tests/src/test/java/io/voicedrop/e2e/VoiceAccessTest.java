package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.port.ApiKeyStore;
import io.voicedrop.core.port.UpstreamPause;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancel ({@code DELETE /jobs/{id}}) before and after the billable call, who may edit, delete and cancel, and hostile
 * ids through the real HTTP path (the local HTTP API hands the handler the path percent-decoded, as API Gateway's
 * HTTP API does). Every refusal is an envelope, and nothing reaches the upstream.
 */
class VoiceAccessTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static String otherKey;
    private static final UpstreamPause PAUSE = stack().pipeline.context().getBean(UpstreamPause.class);

    @BeforeAll
    static void anotherOwner() {
        otherKey = stack().pipeline.context().getBean(ApiKeyStore.class).create("other-" + RUN, "another owner")
                .plaintext();
    }

    @AfterEach
    void unpause() {
        PAUSE.resume();
    }

    private static void assertEnvelope(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(code, body.path("error").path("code").asText(), r.body());
        assertEquals(body.path("error").path("message").asText(), body.path("detail").asText(), r.body());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElse(""), body.path("trace_id").asText());
    }

    /** The statuses of the job ids {@code GET /jobs} (every status, newest first) lists to {@code key}, first pages. */
    static java.util.Map<String, String> listed(String key) {
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> r = Pipeline.get("/jobs?limit=100" + (cursor == null ? ""
                    : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)), key);
            assertEquals(200, r.statusCode(), r.body());
            json(r).path("items").forEach(j -> seen.put(j.path("job_id").asText(), j.path("status").asText()));
            cursor = json(r).path("next_cursor").asText(null);
            if (cursor == null) {
                break;
            }
        }
        return seen;
    }

    @Test
    void anApiJobCancelledByItsOwnerIsListedToThatOwnerOnly() {
        PAUSE.pause("used_up", "held for the test", Instant.now().plus(Duration.ofMinutes(10)));
        HttpResponse<String> created = ApiCalls.createMultipart(stack().apiToken, "cancel api " + RUN, List.of(),
                speech(12));
        assertTrue(created.statusCode() == 201 || created.statusCode() == 202, created.body());
        String jobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        assertEnvelope(Lifecycle.cancel(otherKey, jobId), 404, "not_found");
        HttpResponse<String> r = Lifecycle.cancel(stack().apiToken, jobId);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("CANCELLED", json(r).path("status").asText());
        assertEquals("CANCELLED", listed(stack().apiToken).get(jobId), "the owner's list shows it cancelled");
        assertFalse(listed(otherKey).containsKey(jobId), "another owner's list does not show it");
        PAUSE.resume();
        assertEquals(0, Pipeline.createCallsFor(jobId), "never billed");
    }

    @Test
    void aJobNotYetBilledIsCancelledAndNeverCreated() {
        // Paused, the worker holds every job before its billable call: the cancel always comes first.
        PAUSE.pause("used_up", "held for the test", Instant.now().plus(Duration.ofMinutes(10)));
        String key = "incoming/cancel me " + RUN + ".wav";
        String jobId = Pipeline.upload(key, speech(31));
        Pipeline.awaitJob(jobId, j -> j.path("status").asText().equals("QUEUED"), Duration.ofSeconds(30));
        HttpResponse<String> r = Lifecycle.cancel(stack().apiToken, jobId);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("CANCELLED", json(r).path("status").asText());
        HttpResponse<String> again = Lifecycle.cancel(stack().apiToken, jobId);
        assertEquals(200, again.statusCode(), "cancelling again answers the same: " + again.body());
        PAUSE.resume();
        new io.voicedrop.ops.OpsCommand(stack().pipeline.context()).run("resume");
        Pipeline.sleep(2000);
        assertEquals("CANCELLED", Lifecycle.job(jobId).path("status").asText());
        assertEquals(0, Pipeline.createCallsFor(jobId), "never billed");
        assertEquals("CANCELLED", Pipeline.awaitReport(key, j -> j.path("status").asText().equals("CANCELLED"),
                Duration.ofSeconds(10)).path("status").asText(), "the uploader's report says so");
    }

    @Test
    void aJobPastItsBillableCallOrEndedCannotBeCancelled() {
        stack().simulator.createThenTimeout(Duration.ofSeconds(4));
        String jobId = Pipeline.upload("incoming/too late " + RUN + ".wav", speech(31));
        Pipeline.awaitJob(jobId, j -> j.path("status").asText().equals("RUNNING"), Duration.ofSeconds(30));
        Pipeline.sleep(300); // the worker marks the create started just before the call
        HttpResponse<String> r = Lifecycle.cancel(stack().apiToken, jobId);
        assertEnvelope(r, 409, "conflict");
        assertTrue(json(r).path("detail").asText().contains("DELETE /fish/model/" + jobId), r.body());
        JsonNode done = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", done.path("status").asText(), "the refused cancel changed nothing: " + done);
        HttpResponse<String> ended = Lifecycle.cancel(stack().apiToken, jobId);
        assertEnvelope(ended, 409, "conflict");
        assertTrue(json(ended).path("detail").asText().contains("already ended"), ended.body());
        assertEquals(1, Pipeline.createCallsFor(jobId));
    }

    @Test
    void anotherOwnersModelAndJobAreNotFoundForEveryChange() {
        HttpResponse<String> created = ApiCalls.createMultipart(stack().apiToken, "owned " + RUN, List.of(),
                speech(12));
        assertEquals(201, created.statusCode(), created.body());
        String modelId = json(created).path("_id").asText();
        String jobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        int updates = stack().simulator.updateCalls();
        int deletes = stack().simulator.deleteCalls();
        for (String id : List.of(modelId, jobId)) {
            assertEnvelope(Lifecycle.patchJson(otherKey, id, "{\"title\":\"stolen\"}"), 404, "not_found");
            assertEnvelope(Lifecycle.delete(otherKey, id), 404, "not_found");
        }
        assertEnvelope(Lifecycle.cancel(otherKey, jobId), 404, "not_found");
        assertEquals(updates, stack().simulator.updateCalls());
        assertEquals(deletes, stack().simulator.deleteCalls());
        // The owner may; and the answer is the same 404 as an id that never existed.
        HttpResponse<String> missing = Lifecycle.delete(otherKey, "0123456789abcdef0123456789abcdef");
        assertEnvelope(missing, 404, "not_found");
        assertEquals(json(missing).path("error").path("message").asText(),
                json(Lifecycle.delete(otherKey, modelId)).path("error").path("message").asText());
        HttpResponse<String> mine = Lifecycle.delete(stack().apiToken, modelId);
        assertEquals(200, mine.statusCode(), mine.body());
        String deletionId = mine.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        assertEquals(404, Pipeline.get("/jobs/" + deletionId, otherKey).statusCode(), "the deletion is the owner's too");
        assertTrue(listed(stack().apiToken).containsKey(deletionId), "GET /jobs lists the deletion to its owner");
        assertFalse(listed(otherKey).containsKey(deletionId), "and to nobody else");
        assertEquals(404, Pipeline.get("/jobs/" + jobId, otherKey).statusCode(), "so is the tombstone");
        assertEquals(200, Pipeline.get("/jobs/" + jobId).statusCode());
    }

    /** A bucket voice is the deployment's: any key may delete it, and the deletion job is the caller's own. */
    @Test
    void theDeletionOfABucketVoiceIsListedToTheKeyThatAskedForIt() {
        String jobId = Pipeline.upload("incoming/bucket delete " + RUN + ".wav", speech(31));
        String modelId = Pipeline.awaitTerminal(jobId).path("model_id").asText();
        HttpResponse<String> r = Lifecycle.delete(otherKey, modelId);
        assertEquals(200, r.statusCode(), r.body());
        String deletionId = r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        assertEquals("DELETED", listed(otherKey).get(deletionId));
        assertFalse(listed(stack().apiToken).containsKey(deletionId), "another key's deletion is not in my list");
        assertEquals(404, Pipeline.get("/jobs/" + deletionId).statusCode());
        assertEquals("DELETED", listed(stack().apiToken).get(jobId), "the tombstone stays the deployment's");
    }

    @Test
    void hostileIdsAreRefusedInTheEnvelopeAndTouchNothing() {
        int updates = stack().simulator.updateCalls();
        int deletes = stack().simulator.deleteCalls();
        // raw path segment -> what the local HTTP API (like API Gateway) decodes it to
        // Dot segments name another path (RFC 3986 removes them): /fish/model/.. is /fish, which has no route.
        for (String id : List.of("..", ".", "%2E%2E")) {
            for (String method : List.of("PATCH", "DELETE")) {
                HttpResponse<String> r = ApiCalls.send(method, "/fish/model/" + id, ApiCalls.bearer(stack().apiToken),
                        "application/json", "{\"title\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertTrue(r.statusCode() == 400 || r.statusCode() == 404, id + ": " + r.body());
                assertEnvelope(r, r.statusCode(), r.statusCode() == 400 ? "bad_request" : "no_api");
            }
        }
        List<String> bad = List.of("x".repeat(129), "%D0%B3%D0%BE%D0%BB%D0%BE%D1%81",
                "a%20b", "a%00b", "%25", "%C3%A9");
        for (String id : bad) {
            for (String method : List.of("PATCH", "DELETE")) {
                HttpResponse<String> r = ApiCalls.send(method, "/fish/model/" + id, ApiCalls.bearer(stack().apiToken),
                        "application/json", "{\"title\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(400, r.statusCode(), method + " " + id + ": " + r.body());
                assertEnvelope(r, 400, "bad_request");
            }
            HttpResponse<String> cancel = Lifecycle.cancel(stack().apiToken, id);
            assertEquals(400, cancel.statusCode(), id + ": " + cancel.body());
            assertEnvelope(cancel, 400, "bad_request");
        }
        // An encoded slash splits the path, a literal ";" starts path parameters: no such route (never another).
        for (String id : List.of("a%2Fb", "..%2F..%2Fjobs%2Fx", "%2F", "a;b", "a%3Bb")) {
            for (String method : List.of("PATCH", "DELETE")) {
                HttpResponse<String> r = ApiCalls.send(method, "/fish/model/" + id, ApiCalls.bearer(stack().apiToken),
                        "application/json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertTrue(r.statusCode() == 404 || r.statusCode() == 405 || r.statusCode() == 400,
                        method + " " + id + ": " + r.statusCode() + " " + r.body());
                assertFalse(json(r).path("success").asBoolean(true), r.body());
            }
        }
        assertEquals(updates, stack().simulator.updateCalls(), "no hostile id reached the upstream");
        assertEquals(deletes, stack().simulator.deleteCalls());
        // Well-formed but unknown ids are 404s.
        assertEnvelope(Lifecycle.delete(stack().apiToken, "no-such-model-" + RUN), 404, "not_found");
        assertEnvelope(Lifecycle.patchJson(stack().apiToken, "no-such-model-" + RUN, "{\"title\":\"x\"}"), 404,
                "not_found");
        assertEnvelope(Lifecycle.cancel(stack().apiToken, "no-such-job-" + RUN), 404, "not_found");
    }
}
