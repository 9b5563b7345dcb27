package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unknown routes, wrong methods and failures all answer with the platform envelope and reveal nothing. */
class ErrorResponsesTest {

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static void assertEnvelope(TestApi.Response r, int status, String code, String message) {
        assertEquals(status, r.status(), r.body());
        assertEquals("{\"success\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\"},\"detail\":\"" + message + "\",\"trace_id\":\"" + r.header("X-Trace-Id") + "\"}", r.body());
        assertEquals("application/json", r.header("content-type"));
    }

    @Test
    void unknownRoutesAreNoApi() {
        for (String path : List.of("/nowhere", "/", "/fish", "/fish/model/a/b", "/model", "/jobs/a/b",
                "/fish/models")) {
            assertEnvelope(api.get(path), 404, "no_api", "The requested API does not exist.");
        }
    }

    @Test
    void wrongMethodIsMethodNotAllowed() {
        // POST /fish/model creates a model (CreateModelApiTest); the rest are not offered.
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            TestApi.Response r = api.send(method, "/fish/model", ModelApiTest.auth());
            assertEnvelope(r, 405, "method_not_allowed", "The method is not allowed for this API.");
            assertTrue(r.header("allow").contains("GET"), r.headers().toString());
        }
        for (String method : List.of("PUT", "POST")) {
            assertEnvelope(api.send(method, "/jobs/abc", ModelApiTest.auth()), 405, "method_not_allowed",
                    "The method is not allowed for this API.");
        }
        // PATCH and DELETE of one model, DELETE of one job (cancel) are routes; PUT of either is not.
        assertEnvelope(api.send("PUT", "/fish/model/abc", ModelApiTest.auth()), 405, "method_not_allowed",
                "The method is not allowed for this API.");
    }

    @Test
    void unexpectedExceptionsAre500WithoutDetails() {
        for (String path : List.of("/test/boom", "/test/error")) {
            TestApi.Response r = api.get(path);
            assertEnvelope(r, 500, "api_error", "Internal error. Quote the trace_id to support.");
            assertFalse(r.body().contains("SECRET"));
            assertFalse(r.body().contains("Exception"));
            assertFalse(r.body().contains("Error:"));
        }
    }

    @Test
    void storeFailuresAre500WithoutDetails() {
        api.catalog.failWith = new IllegalStateException(ProbeController.SECRET);
        assertEnvelope(api.get("/fish/model"), 500, "api_error", "Internal error. Quote the trace_id to support.");
        assertEnvelope(api.get("/fish/model/abc"), 500, "api_error", "Internal error. Quote the trace_id to support.");
    }

    @Test
    void oddRequestsStillGetATraceIdAndTheEnvelope() {
        String[][] cases = {
                {"GET", "/fish/model/a%20b"}, {"GET", "/fish/model/%"}, {"GET", "/fish/model/..%2F..%2Fjobs"},
                {"GET", "/fish/model/a b"}, {"FOO", "/fish/model"}, {"GET", "/fish/model?%"},
                {"GET", "/fish/model?page_size=%E0%A4%A"}, {"OPTIONS", "/fish/model"}, {"HEAD", "/fish/model"},
                {"GET", "//fish//model"}, {"GET", "/fish/model/\u00e9"}};
        for (String[] c : cases) {
            TestApi.Response r = api.send(c[0], c[1], ModelApiTest.auth());
            String traceId = r.header("X-Trace-Id");
            assertEquals(traceId, java.util.UUID.fromString(traceId).toString(), c[1]);
            if (r.status() >= 400) {
                assertTrue(r.body().startsWith("{\"success\":false,\"error\":{\"code\":\""), c[1] + " " + r.body());
                assertTrue(r.body().endsWith("\"trace_id\":\"" + traceId + "\"}"), r.body());
            }
        }
    }

    @Test
    void anyAcceptHeaderGetsJson() {
        for (String accept : List.of("application/msgpack", "text/html", "application/xml", "*/*",
                "application/json")) {
            TestApi.Response r = api.send("GET", "/fish/model",
                    java.util.Map.of("authorization", "Bearer " + TestApi.KEY, "accept", accept));
            assertEquals(200, r.status(), accept + " " + r.body());
            assertEquals("application/json", r.header("content-type"));
            assertEquals(200, api.send("GET", "/openapi.yaml", java.util.Map.of("accept", accept)).status(), accept);
        }
    }
}
