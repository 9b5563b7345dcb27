package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.ApiKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** Bearer keys, the 401 envelope, X-Trace-Id and the MDC. */
class AuthAndTraceTest {

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TestApi.Response withAuthorization(String path, String value) {
        Map<String, String> headers = new HashMap<>();
        if (value != null) {
            headers.put("authorization", value);
        }
        return api.send("GET", path, headers);
    }

    private static void assertInvalidToken(TestApi.Response r) {
        assertEquals(401, r.status(), r.body());
        String traceId = r.header("X-Trace-Id");
        assertEquals("{\"success\":false,\"error\":{\"code\":\"invalid_token\",\"message\":"
                + "\"The specified token is invalid or wrong.\"},\"detail\":\"The specified token is invalid or wrong.\","
                + "\"trace_id\":\"" + traceId + "\"}", r.body());
        assertEquals("Bearer", r.header("WWW-Authenticate"));
        assertEquals("application/json", r.header("content-type"));
    }

    @Test
    void validKeyIsAccepted() {
        assertEquals(200, withAuthorization("/fish/model", "Bearer " + TestApi.KEY).status());
        assertEquals(200, withAuthorization("/fish/model", "bearer " + TestApi.KEY).status());
        assertEquals(200, withAuthorization("/fish/model", "  Bearer   " + TestApi.KEY + "  ").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token " + TestApi.KEY,
            "Bearer wrong-key", "Bearer " + TestApi.KEY + "x", "Bearer " + TestApi.DISABLED_KEY,
            "Bearer " + TestApi.KEY + " extra", "Bearer vd_\u00e9t\u00e9", TestApi.KEY})
    void badTokensAllLookTheSame(String header) {
        assertInvalidToken(withAuthorization("/fish/model", header));
        assertInvalidToken(withAuthorization("/jobs/abc", header));
        assertTrue(api.catalog.queries.isEmpty());
    }

    @Test
    void missingHeaderIsInvalidTokenOnEveryRouteEvenUnknownOnes() {
        for (String path : new String[] {"/fish/model", "/fish/model/abc", "/jobs", "/jobs/abc", "/nowhere", "/"}) {
            assertInvalidToken(withAuthorization(path, null));
        }
    }

    @Test
    void storeIsAskedForTheHashNeverThePlaintext() {
        withAuthorization("/fish/model", "Bearer some-unknown-key");
        assertEquals(ApiKey.hashOf("some-unknown-key"), api.keys.lookups.get(api.keys.lookups.size() - 1));
        assertFalse(api.keys.lookups.contains("some-unknown-key"));
        assertTrue(api.keys.lookups.stream().allMatch(ApiKey::isKeyHash));
    }

    @Test
    void keyStoreOutageIsAServerErrorNotA401() {
        api.keys.failWith = new IllegalStateException("dynamo down " + ProbeController.SECRET);
        TestApi.Response r = api.get("/fish/model");
        assertEquals(500, r.status());
        assertEquals("{\"success\":false,\"error\":{\"code\":\"api_error\",\"message\":"
                + "\"Internal error. Quote the trace_id to support.\"},\"detail\":\"Internal error. Quote the trace_id to"
                + " support.\",\"trace_id\":\"" + r.header("X-Trace-Id")
                + "\"}", r.body());
    }

    @Test
    void openApiNeedsNoKey() {
        TestApi.Response r = withAuthorization("/openapi.yaml", null);
        assertEquals(200, r.status());
        assertEquals("application/yaml", r.header("content-type"));
        assertTrue(r.body().startsWith("openapi: 3."), r.body());
        assertUuid(r.header("X-Trace-Id"));
        // a wrong key does not matter there either
        assertEquals(200, withAuthorization("/openapi.yaml", "Bearer nope").status());
    }

    @Test
    void everyResponseHasItsOwnTraceIdMatchingTheEnvelope() {
        Set<String> seen = new HashSet<>();
        for (TestApi.Response r : new TestApi.Response[] {
                api.get("/fish/model"), api.get("/fish/model/none"), api.get("/nowhere"),
                api.get("/fish/model?page_size=0"), withAuthorization("/fish/model", null),
                api.send("POST", "/fish/model", ModelApiTest.auth()), api.get("/test/boom"),
                withAuthorization("/openapi.yaml", null)}) {
            String traceId = r.header("X-Trace-Id");
            assertUuid(traceId);
            assertTrue(seen.add(traceId), "trace ids must differ");
            if (r.status() >= 400) {
                JsonNode body = Json.read(r.body(), JsonNode.class);
                assertEquals(traceId, body.get("trace_id").asText());
                assertFalse(body.get("success").asBoolean());
            }
        }
    }

    @Test
    void traceIdIsInTheMdcWhileTheRequestRunsAndGoneAfter() {
        TestApi.Response r = api.get("/test/mdc");
        assertEquals(200, r.status());
        JsonNode seen = Json.read(r.body(), JsonNode.class);
        assertEquals(r.header("X-Trace-Id"), seen.get("mdc_trace_id").asText());
        assertEquals("alice", seen.get("owner").asText());
        assertNull(MDC.get("trace_id"));
        withAuthorization("/fish/model", null);
        assertNull(MDC.get("trace_id"));
    }

    @Test
    void clientSuppliedTraceIdIsNotTrusted() {
        TestApi.Response r = api.send("GET", "/fish/model",
                Map.of("authorization", "Bearer " + TestApi.KEY, "x-trace-id", "injected\nvalue"));
        assertNotEquals("injected\nvalue", r.header("X-Trace-Id"));
        assertUuid(r.header("X-Trace-Id"));
    }

    @Test
    void headersMicronautCannotParseAreDroppedNotFatal() {
        // Micronaut rejects such values outright (the request would end as a bare 500 without any filter); the
        // handler drops the header instead, so the request is answered normally.
        TestApi.Response r = api.send("GET", "/fish/model", Map.of("authorization", "Bearer " + TestApi.KEY,
                "x-odd", "a\u0001b", "user-agent", "caf\u00e9 \u010A client"));
        assertEquals(200, r.status(), r.body());
        assertInvalidToken(api.send("GET", "/fish/model", Map.of("authorization", "Bearer " + TestApi.KEY + "\u0007")));
    }

    @Test
    void bearerTokenParsing() {
        assertEquals("abc", ApiFilter.bearerToken("Bearer abc").orElseThrow());
        assertEquals("abc", ApiFilter.bearerToken("BEARER abc").orElseThrow());
        assertTrue(ApiFilter.bearerToken(null).isEmpty());
        assertTrue(ApiFilter.bearerToken("Bearer a b").isEmpty());
        assertTrue(ApiFilter.bearerToken("Bearer " + "k".repeat(513)).isEmpty());
        assertEquals(512, ApiFilter.bearerToken("Bearer " + "k".repeat(512)).orElseThrow().length());
        assertTrue(ApiFilter.bearerToken("Bearerabc").isEmpty());
    }

    private static void assertUuid(String value) {
        assertEquals(value, UUID.fromString(value).toString());
    }
}
