package io.voicedrop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Real HTTP against a running simulator, plus the shape assertions every test shares. */
final class SimHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern ISO_Z = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

    record Resp(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FishSimulator sim;

    SimHttp(FishSimulator sim) {
        this.sim = sim;
    }

    Resp create(Object body) throws IOException, InterruptedException {
        return create(body, sim.token(), Duration.ofSeconds(10));
    }

    Resp create(Object body, String token, Duration timeout) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fish/model"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Resp get(String pathAndQuery) throws IOException, InterruptedException {
        return get(pathAndQuery, sim.token());
    }

    Resp get(String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Resp send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.body(), r.headers());
    }

    /** A minimal valid create body; tests add or break fields from here. */
    static ObjectNode body(String title, String... voices) {
        ObjectNode n = JSON.createObjectNode();
        n.put("title", title);
        n.putArray("voices").addAll(List.of(voices).stream().map(JSON.getNodeFactory()::textNode).toList());
        n.put("visibility", "private");
        n.put("enhance_audio_quality", true);
        return n;
    }

    static void assertEnvelope(Resp r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        JsonNode n = r.json();
        assertFalse(n.path("success").asBoolean(true), r.body());
        assertEquals(code, n.path("error").path("code").asText(), r.body());
        assertFalse(n.path("error").path("message").asText().isBlank(), r.body());
        assertNotNull(UUID.fromString(n.path("trace_id").asText()), r.body());
    }

    /** Contract section 6.2: every field, "" and [] rather than null. */
    static void assertFullEntity(JsonNode m) {
        for (String f : List.of("_id", "type", "title", "description", "cover_image", "train_mode", "state",
                "tags", "samples", "created_at", "updated_at", "languages", "visibility", "lock_visibility",
                "like_count", "mark_count", "shared_count", "task_count", "liked", "marked", "author")) {
            assertTrue(m.hasNonNull(f), "missing " + f + " in " + m);
        }
        assertTrue(HEX32.matcher(m.get("_id").asText()).matches(), m.toString());
        assertEquals("tts", m.get("type").asText());
        assertEquals("fast", m.get("train_mode").asText());
        assertTrue(ISO_Z.matcher(m.get("created_at").asText()).matches(), m.toString());
        assertTrue(ISO_Z.matcher(m.get("updated_at").asText()).matches(), m.toString());
        assertTrue(m.get("description").isTextual() && m.get("cover_image").isTextual());
        assertTrue(m.get("like_count").isInt() && m.get("lock_visibility").isBoolean());
        JsonNode author = m.get("author");
        assertTrue(HEX32.matcher(author.path("_id").asText()).matches(), author.toString());
        assertTrue(author.path("nickname").isTextual() && author.path("avatar").isTextual(), author.toString());
        for (JsonNode s : m.get("samples")) {
            for (String f : List.of("title", "text", "task_id", "audio")) {
                assertTrue(s.path(f).isTextual(), "sample field " + f + " in " + s);
            }
        }
    }
}
