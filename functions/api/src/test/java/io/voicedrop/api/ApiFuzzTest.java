package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.testing.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and hostile requests (methods, paths, query strings, headers, bodies) through the real handler, with a
 * fixed seed so a failure is reproducible: none may answer 500, leak a stack trace or class name, or answer an error
 * outside the platform envelope.
 */
class ApiFuzzTest {

    static final long SEED = 20261127L;
    static final int CASES = 4000;

    private static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH",
            "HEAD", "OPTIONS");
    private static final List<String> PATHS = List.of("/fish/model", "/fish/model/", "/fish/model/%s",
            "/jobs", "/jobs/%s", "/models/%s/source", "/openapi.yaml", "/%s", "/fish/%s", "/fish/model/%s/x",
            "//fish//model", "/fish/model/..", "/fish/model/%2e%2e%2f", "/jobs/owner%23x", "/jobs/claim#y");
    private static final List<String> PARAMS = List.of("page_size", "page_number", "title", "tag", "tag[]", "self",
            "author_id", "language", "language[]", "title_language", "sort_by", "status", "limit", "cursor",
            "unknown", "", "%", "%zz", "tag[", "__proto__");
    private static final List<String> HOSTILE = List.of("", " ", "-1", "0", "1", "10", "100", "101",
            "99999999999999999999", "1e3", "0x10", "true", "TRUE", "nope", "null", "undefined", "NaN", "%00", "%",
            "%zz", "%E2%82", "%F0%9F%98%80", "😀", "中文标题", "<script>alert(1)</script>", "' OR 1=1 --",
            "${jndi:ldap://x/a}", "../../etc/passwd", "a,b,c", "a%2Cb", "+", "%2B", "\\u0000", "QUEUED",
            "eyJwayI6eyJTIjoieCJ9fQ", "=", "&", "#", "score", "task_count", "created_at");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "multipart/form-data",
            "multipart/form-data; boundary=b", "multipart/form-data; boundary=\"\"", "text/plain",
            "application/msgpack", "application/x-www-form-urlencoded", "", ";;;", "application/json; charset=utf-16",
            "multipart/form-data; boundary=" + "x".repeat(300));

    @Test
    void hostileRequestsNeverBreakTheApi() {
        Random random = new Random(SEED);
        try (TestApi api = new TestApi(ApiSettings.defaults().withRateLimit(0))) {
            api.catalog.save(Samples.entry(Samples.model("m1", "Narrator", List.of("demo"), List.of("en"),
                    "2026-01-01T00:00:00Z", "a1"), "en"));
            api.jobs.createIfAbsent(Jobs.queued("j1", Instant.parse("2026-01-01T00:00:00Z")).build());
            for (int i = 0; i < CASES; i++) {
                APIGatewayV2HTTPEvent event = randomEvent(random);
                String description = i + ": " + event.getRequestContext().getHttp().getMethod() + " "
                        + event.getRawPath() + "?" + event.getRawQueryString() + " " + event.getHeaders();
                TestApi.Response r;
                try {
                    r = api.send(event);
                } catch (RuntimeException e) {
                    throw new AssertionError("the handler threw on case " + description, e);
                }
                check(r, description);
            }
        }
    }

    private static void check(TestApi.Response r, String description) {
        assertTrue(r.status() >= 200 && r.status() < 500, "status " + r.status() + " for " + description + " -> "
                + r.body());
        assertNotNull(r.header("x-trace-id"), "no trace id for " + description);
        String body = r.body() == null ? "" : r.body();
        if (r.status() == 200 && body.startsWith("openapi:")) {
            return; // the API document itself names classes on purpose
        }
        for (String leak : List.of("Exception", "\tat ", "java.", "io.micronaut", "io.voicedrop", "software.amazon")) {
            assertFalse(body.contains(leak), "'" + leak + "' leaked for " + description + " -> " + body);
        }
        if (r.status() >= 400 && !body.isEmpty()) {
            JsonNode b = Json.read(body, JsonNode.class);
            assertEquals(false, b.path("success").asBoolean(true), description);
            assertFalse(b.path("error").path("code").asText().isEmpty(), description + " -> " + body);
            assertEquals(r.header("x-trace-id"), b.path("trace_id").asText(), description);
        }
    }

    private static APIGatewayV2HTTPEvent randomEvent(Random random) {
        String method = pick(random, METHODS);
        String path = pick(random, PATHS).replace("%s", junk(random));
        if (random.nextInt(20) == 0) {
            path = "/" + "a/".repeat(random.nextInt(300));
        }
        StringBuilder query = new StringBuilder();
        int params = random.nextInt(6);
        for (int p = 0; p < params; p++) {
            if (p > 0) {
                query.append(random.nextInt(10) == 0 ? "&&" : "&");
            }
            query.append(pick(random, PARAMS));
            if (random.nextInt(8) != 0) {
                query.append('=').append(random.nextInt(4) == 0 ? junk(random) : pick(random, HOSTILE));
            }
        }
        if (random.nextInt(40) == 0) {
            query.append("&title=").append("x".repeat(5000));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> headers.put("authorization", "Bearer " + junk(random));
            case 2 -> headers.put("authorization", pick(random, HOSTILE));
            case 3 -> headers.put("authorization", "Bearer " + TestApi.DISABLED_KEY);
            default -> headers.put("authorization", "Bearer " + TestApi.KEY);
        }
        if (random.nextBoolean()) {
            headers.put("content-type", pick(random, CONTENT_TYPES));
        }
        if (random.nextInt(5) == 0) {
            headers.put("accept", pick(random, List.of("application/msgpack", "*/*", "text/html", "", "\u0001")));
        }
        if (random.nextInt(5) == 0) {
            headers.put(junk(random).replaceAll("[^A-Za-z-]", "") + "x", junk(random));
        }
        if (random.nextInt(10) == 0) {
            headers.put("idempotency-key", junk(random));
        }
        APIGatewayV2HTTPEvent event = HttpApiEvents.request(method, path + (query.length() > 0 ? "?" + query : ""),
                headers);
        event.getRequestContext().getHttp().setPath(decodeLoosely(path));
        if (!method.equals("GET") && random.nextBoolean()) {
            byte[] body = randomBody(random, headers.getOrDefault("content-type", ""));
            boolean base64 = random.nextBoolean();
            event.setBody(base64 ? Base64.getEncoder().encodeToString(body) : new String(body,
                    StandardCharsets.ISO_8859_1));
            event.setIsBase64Encoded(base64);
            if (random.nextInt(30) == 0) {
                event.setBody("!!!not base64!!!");
                event.setIsBase64Encoded(true);
            }
        }
        return event;
    }

    private static byte[] randomBody(Random random, String contentType) {
        switch (random.nextInt(5)) {
            case 0:
                byte[] b = new byte[random.nextInt(2000)];
                random.nextBytes(b);
                return b;
            case 1:
                return ("{\"title\":" + pick(random, List.of("\"t\"", "1", "null", "[]", "{}")) + ",\"voices\":"
                        + pick(random, List.of("[]", "\"http://127.0.0.1/a\"", "[1]", "null", "[\"ftp://x\"]",
                        "\"" + junk(random) + "\"")) + ",\"texts\":" + pick(random, List.of("[]", "null", "\"x\"",
                        "[\"a\",\"b\"]")) + "}").getBytes(StandardCharsets.UTF_8);
            case 2:
                TestAudio.Form form = new TestAudio.Form().field("title", junk(random));
                if (random.nextBoolean()) {
                    form.file("voices", junk(random), "audio/wav", random.nextBoolean() ? TestAudio.wav(0.2, 8000,
                            random.nextInt(100)) : junk(random).getBytes(StandardCharsets.UTF_8));
                }
                if (random.nextBoolean()) {
                    form.field("texts", junk(random));
                }
                byte[] bytes = form.bytes();
                return random.nextInt(3) == 0 ? java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1))
                        : bytes;
            case 3:
                return ("--b\r\nContent-Disposition: form-data; name=\"" + junk(random) + "\"\r\n\r\n"
                        + junk(random) + "\r\n--b--").getBytes(StandardCharsets.UTF_8);
            default:
                return junk(random).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String junk(Random random) {
        int n = random.nextInt(24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(7)) {
                case 0 -> sb.append((char) (random.nextInt(0x20)));
                case 1 -> sb.append('%').append(Integer.toHexString(random.nextInt(256)));
                case 2 -> sb.appendCodePoint(0x4e00 + random.nextInt(500));
                case 3 -> sb.append("\"'<>{}[]|\\^`#?&=;:/".charAt(random.nextInt(19)));
                case 4 -> sb.appendCodePoint(0x1F600 + random.nextInt(50));
                default -> sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.toString();
    }

    /** What API Gateway puts in requestContext.http.path: the path percent-decoded where that is possible. */
    private static String decodeLoosely(String path) {
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
