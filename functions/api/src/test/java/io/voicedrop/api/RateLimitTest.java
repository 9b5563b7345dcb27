package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-key rate limit: fixed one-minute windows counted in the key store. */
class RateLimitTest {

    @Test
    void overTheKeysLimitIs429WithRetryAfter() {
        try (TestApi api = new TestApi()) {
            api.keys.add("vd_limited-key-0001", "carol", 3);
            Map<String, String> auth = Map.of("authorization", "Bearer vd_limited-key-0001");
            for (int i = 0; i < 3; i++) {
                TestApi.Response ok = api.send("GET", "/fish/model", auth);
                assertEquals(200, ok.status(), ok.body());
                assertEquals("3", ok.header("x-ratelimit-limit"));
                assertEquals(Integer.toString(2 - i), ok.header("x-ratelimit-remaining"));
            }
            TestApi.Response limited = api.send("GET", "/fish/model", auth);
            assertEquals(429, limited.status(), limited.body());
            JsonNode b = Json.read(limited.body(), JsonNode.class);
            assertEquals("too_many_requests", b.path("error").path("code").asText());
            assertEquals(b.path("trace_id").asText(), limited.header("x-trace-id"));
            int retryAfter = Integer.parseInt(limited.header("retry-after"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals("0", limited.header("x-ratelimit-remaining"));
            // Other keys have their own windows.
            assertEquals(200, api.get("/fish/model").status());
            // The unauthenticated document is not limited per key.
            assertEquals(200, api.send("GET", "/openapi.yaml", Map.of()).status());
        }
    }

    @Test
    void theDeploymentDefaultAppliesToKeysWithoutTheirOwnLimit() {
        try (TestApi api = new TestApi(ApiSettings.defaults().withRateLimit(2))) {
            assertEquals(200, api.get("/fish/model").status());
            assertEquals(200, api.get("/jobs?status=QUEUED").status());
            assertEquals(429, api.get("/fish/model/abc").status());
        }
    }

    @Test
    void zeroTurnsTheLimitOffAndAStoreFailureLetsRequestsThrough() {
        try (TestApi api = new TestApi(ApiSettings.defaults().withRateLimit(0))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(200, api.get("/fish/model").status());
            }
            assertNull(api.get("/fish/model").header("x-ratelimit-limit"));
        }
        try (TestApi api = new TestApi(ApiSettings.defaults().withRateLimit(1))) {
            api.keys.counterFailure = new IllegalStateException("dynamo down");
            assertEquals(200, api.get("/fish/model").status());
            assertEquals(200, api.get("/fish/model").status());
        }
    }

    @Test
    void settingsComeFromTheEnvironment() {
        ApiSettings s = ApiSettings.from(Map.of("API_RATE_LIMIT_PER_MINUTE", "90",
                "API_ALLOW_LOCAL_VOICE_URLS", "true", "API_IDEMPOTENCY_HOURS", "2"));
        assertEquals(90, s.rateLimitPerMinute());
        assertTrue(s.allowLocalVoiceUrls());
        assertEquals(java.time.Duration.ofHours(2), s.idempotencyWindow());
        assertEquals(ApiSettings.DEFAULT_RATE_LIMIT_PER_MINUTE, ApiSettings.defaults().rateLimitPerMinute());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ApiSettings.from(Map.of("API_RATE_LIMIT_PER_MINUTE", "-1")));
    }
}
