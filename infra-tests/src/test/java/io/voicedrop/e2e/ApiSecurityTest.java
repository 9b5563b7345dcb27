package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.model.ApiKey;
import io.voicedrop.core.port.ApiKeyStore;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication, per-key rate limits and owner isolation against the running local API (real handler, keys and
 * counters in the emulator's API keys table). The shared stack runs with {@code API_RATE_LIMIT_PER_MINUTE=0}, so the
 * other tests' polling key is unlimited; keys made here carry their own limit, which {@code ApiFilter} applies
 * whatever the default.
 */
class ApiSecurityTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static ApiKeyStore keys;
    private static ApiContract contract;

    @BeforeAll
    static void keyStore() {
        keys = stack().pipeline.context().getBean(ApiKeyStore.class);
        contract = ApiContract.fetch(false);
    }

    /** A 401 as the contract says: envelope with {@code invalid_token}, trace id in body and header, no hint why. */
    private static void assertInvalidToken(HttpResponse<String> r, String why) {
        assertEquals(401, r.statusCode(), why + ": " + r.body());
        JsonNode body = contract.documents(r.request().method(), r.request().uri().getRawPath())
                ? contract.assertConforms(r.request().method(), r) : json(r);
        assertEquals(false, body.path("success").asBoolean(true), why);
        assertEquals("invalid_token", body.path("error").path("code").asText(), why);
        assertEquals("The specified token is invalid or wrong.", body.path("error").path("message").asText(), why);
        String header = r.headers().firstValue("X-Trace-Id").orElse("");
        assertEquals(header, body.path("trace_id").asText(), why);
        assertEquals(UUID.fromString(header).toString(), header, why + ": trace id is not a UUID");
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null), why);
        assertFalse(r.headers().firstValue("X-RateLimit-Limit").isPresent(), why + ": unauthenticated, not counted");
    }

    @Test
    void missingMalformedUnknownAndRevokedKeysAllGetTheSame401() {
        ApiKey revoked = keys.create("security-" + RUN, "to be revoked", 0);
        assertEquals(200, Pipeline.get("/fish/model", revoked.plaintext()).statusCode(), "the key works before");
        keys.revoke(revoked.keyHash());

        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("no Authorization header", Map.of());
        cases.put("empty header", Map.of("Authorization", ""));
        cases.put("scheme only", Map.of("Authorization", "Bearer"));
        cases.put("other scheme", Map.of("Authorization", "Basic " + revoked.plaintext()));
        cases.put("token with a space", Map.of("Authorization", "Bearer vd_a b"));
        cases.put("token of 600 characters", Map.of("Authorization", "Bearer " + "k".repeat(600)));
        cases.put("unknown key", ApiCalls.bearer("vd_" + UUID.randomUUID().toString().replace("-", "")));
        cases.put("revoked key", ApiCalls.bearer(revoked.plaintext()));
        cases.put("the hash instead of the key", ApiCalls.bearer(revoked.keyHash()));
        List<String> traceIds = new ArrayList<>();
        cases.forEach((why, headers) -> {
            for (String path : List.of("/fish/model", "/jobs/anything", "/no/such/route")) {
                HttpResponse<String> r = ApiCalls.get(path, headers);
                assertInvalidToken(r, why + " on " + path);
                traceIds.add(r.headers().firstValue("X-Trace-Id").orElseThrow());
            }
            HttpResponse<String> post = ApiCalls.send("POST", "/fish/model", headers, "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertInvalidToken(post, why + " on POST");
        });
        assertEquals(traceIds.size(), traceIds.stream().distinct().count(), "every request has its own trace id");
    }

    @Test
    void aKeyWithItsOwnSmallLimitGets429WithRetryAfter() {
        int limit = 3;
        String token = keys.create("security-" + RUN, "rate limited", limit).plaintext();
        awayFromAWindowEdge();
        for (int i = 1; i <= limit; i++) {
            HttpResponse<String> r = Pipeline.get("/fish/model?page_size=1", token);
            assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
            assertEquals(Integer.toString(limit), r.headers().firstValue("X-RateLimit-Limit").orElse(null));
            assertEquals(Integer.toString(limit - i), r.headers().firstValue("X-RateLimit-Remaining").orElse(null));
        }
        HttpResponse<String> limited = Pipeline.get("/fish/model?page_size=1", token);
        assertEquals(429, limited.statusCode(), limited.body());
        JsonNode body = contract.assertConforms("GET", limited);
        assertEquals("too_many_requests", body.path("error").path("code").asText());
        assertEquals(limited.headers().firstValue("X-Trace-Id").orElse(""), body.path("trace_id").asText());
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("0", limited.headers().firstValue("X-RateLimit-Remaining").orElse(null));
        // Other keys, the shared one included, are not affected by this key's limit.
        assertEquals(200, Pipeline.get("/fish/model?page_size=1").statusCode());
        assertFalse(Pipeline.get("/fish/model?page_size=1").headers().firstValue("X-RateLimit-Limit").isPresent(),
                "the shared test key must be unlimited (API_RATE_LIMIT_PER_MINUTE=0 in TestStack)");
    }

    /** The window is a clock minute: four requests must not straddle two of them. */
    private static void awayFromAWindowEdge() {
        long second = Instant.now().getEpochSecond() % 60;
        if (second >= 50) {
            Pipeline.sleep((61 - second) * 1000);
        }
    }

    @Test
    void anotherOwnerCannotSeeAPostCreatedJobButBothSeeBucketJobs() {
        String owner = stack().apiToken;
        String other = keys.create("other-owner-" + RUN, "isolation", 0).plaintext();
        HttpResponse<String> created = ApiCalls.createMultipart(owner, "isolated " + RUN, List.of(), speech(12));
        assertEquals(201, created.statusCode(), created.body());
        String postJob = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        String bucketJob = Pipeline.upload("incoming/shared " + RUN + ".wav", speech(31));

        JsonNode done = Pipeline.awaitTerminal(postJob);
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        String postModel = done.path("model_id").asText();
        assertEquals("SUCCEEDED", Pipeline.awaitTerminal(bucketJob).path("status").asText());

        assertEquals(200, Pipeline.get("/jobs/" + postJob, owner).statusCode());
        assertEquals(200, Pipeline.get("/fish/model/" + postJob, owner).statusCode());
        assertEquals(200, Pipeline.get("/models/" + postModel + "/source", owner).statusCode());
        for (String path : List.of("/jobs/" + postJob, "/fish/model/" + postJob, "/models/" + postModel + "/source")) {
            HttpResponse<String> r = Pipeline.get(path, other);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertEquals("not_found", contract.assertConforms("GET", r).path("error").path("code").asText(), path);
        }
        assertFalse(jobIdsListed("SUCCEEDED", other).contains(postJob), "listed to another owner");
        assertTrue(jobIdsListed("SUCCEEDED", owner).contains(postJob), "not listed to its owner");

        for (String token : List.of(owner, other)) {
            assertEquals(200, Pipeline.get("/jobs/" + bucketJob, token).statusCode());
            assertTrue(jobIdsListed("SUCCEEDED", token).contains(bucketJob));
        }
    }

    /** Every job id of a status the key may see, following the cursor to the end. */
    private static List<String> jobIdsListed(String status, String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        do {
            String path = "/jobs?status=" + status + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = json(Pipeline.get(path, token));
            page.path("items").forEach(j -> ids.add(j.path("job_id").asText()));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null && Instant.now().isBefore(until));
        return ids;
    }
}
