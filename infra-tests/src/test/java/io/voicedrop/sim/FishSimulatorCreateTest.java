package io.voicedrop.sim;

import static io.voicedrop.sim.SimHttp.assertEnvelope;
import static io.voicedrop.sim.SimHttp.assertFullEntity;
import static io.voicedrop.sim.SimHttp.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FishSimulatorCreateTest {

    private VoiceServer voices;
    private FishSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        voices = new VoiceServer();
        sim = FishSimulator.start(FishSimulator.Settings.defaults().tokens("tok-a", "tok-b"));
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
        voices.close();
    }

    @Test
    void createdModelIsAFullEntityAndCanBeListedAndFetched() throws Exception {
        ObjectNode req = body("Narrator - Alice", voices.ok("a1"), voices.ok("a2"));
        req.putArray("texts").add("first").add("second");
        req.putArray("tags").add("en").add("narration");
        req.put("description", "two clips");

        SimHttp.Resp created = http.create(req);

        assertEquals(200, created.status(), created.body());
        JsonNode m = created.json();
        assertFullEntity(m);
        assertEquals("Narrator - Alice", m.get("title").asText());
        assertEquals("trained", m.get("state").asText());
        assertEquals("private", m.get("visibility").asText());
        assertEquals("", m.get("cover_image").asText());
        assertEquals(2, m.get("samples").size());
        assertEquals("second", m.get("samples").get(1).get("text").asText());
        assertEquals(voices.ok("a2"), m.get("samples").get(1).get("audio").asText());
        assertEquals(2, voices.hits.get(), "every voice URL is downloaded");

        String id = m.get("_id").asText();
        SimHttp.Resp got = http.get("/fish/model/" + id);
        assertEquals(200, got.status());
        assertEquals(m, got.json());
        SimHttp.Resp list = http.get("/fish/model");
        assertEquals(1, list.json().get("total").asInt());
        assertEquals(id, list.json().get("items").get(0).get("_id").asText());

        assertEquals(1, sim.modelsCreated());
        assertEquals(1, sim.createCalls());
        assertTrue(sim.models().get(0).request().get("enhance_audio_quality").asBoolean());
    }

    @Test
    void voicesMayBeASingleStringAndStatus201IsConfigurable() throws Exception {
        sim.update(s -> s.createStatus(201));
        ObjectNode req = body("Solo");
        req.put("voices", voices.ok("solo"));
        SimHttp.Resp r = http.create(req);
        assertEquals(201, r.status(), r.body());
        assertEquals(1, r.json().get("samples").size());
    }

    @Test
    void forbiddenVoiceUrlFailsLikeUpstreamAndStoresNothing() throws Exception {
        SimHttp.Resp r = http.create(body("Expired", voices.ok("fine"), voices.url("/status/403")));
        assertEnvelope(r, 400, "bad_request");
        assertTrue(r.json().at("/error/message").asText().contains("voices[1] could not be fetched: HTTP 403"),
                r.body());
        assertEquals(0, sim.modelsCreated());
        assertEquals(0, http.get("/fish/model").json().get("total").asInt());
    }

    @Test
    void unreachableAndEmptyVoicesFail() throws Exception {
        assertEnvelope(http.create(body("Empty", voices.url("/empty"))), 400, "bad_request");
        SimHttp.Resp r = http.create(body("Gone", "http://127.0.0.1:1/nothing.mp3"));
        assertEnvelope(r, 400, "bad_request");
        assertTrue(r.json().at("/error/message").asText().startsWith("voices[0] could not be fetched"), r.body());
    }

    @Test
    void requiredFieldsAreValidated() throws Exception {
        ObjectNode noTitle = body("x", voices.ok("v"));
        noTitle.remove("title");
        assertEnvelope(http.create(noTitle), 400, "bad_request");
        assertEnvelope(http.create(body("   ", voices.ok("v"))), 400, "bad_request");
        ObjectNode noVoices = body("x");
        noVoices.remove("voices");
        assertEnvelope(http.create(noVoices), 400, "bad_request");
        assertEnvelope(http.create(body("x")), 400, "bad_request");
        String[] many = new String[21];
        java.util.Arrays.fill(many, voices.ok("v"));
        assertEnvelope(http.create(body("x", many)), 400, "bad_request");
        assertEnvelope(http.create(body("x", "ftp://example.org/a.mp3")), 400, "bad_request");
        assertEquals(0, voices.hits.get(), "invalid requests never reach the voice URLs");
    }

    @Test
    void optionalFieldsAreValidated() throws Exception {
        ObjectNode texts = body("x", voices.ok("1"), voices.ok("2"));
        texts.putArray("texts").add("only one");
        SimHttp.Resp r = http.create(texts);
        assertEnvelope(r, 400, "bad_request");
        assertTrue(r.json().at("/error/message").asText().contains("texts"), r.body());

        assertEnvelope(http.create(body("x", voices.ok("v")).put("visibility", "unlisted")), 400, "bad_request");
        assertEnvelope(http.create(body("x", voices.ok("v")).put("type", "svc")), 400, "bad_request");
        assertEnvelope(http.create(body("x", voices.ok("v")).put("train_mode", "full")), 400, "bad_request");
        assertEnvelope(http.create(body("x", voices.ok("v")).put("enhance_audio_quality", "yes")), 400, "bad_request");
        assertEquals(200, http.create(body("x", voices.ok("v")).put("visibility", "unlist")).status());
    }

    @Test
    void nonJsonAndMultipartBodiesAreRejected() throws Exception {
        assertEnvelope(http.create("this is not json"), 400, "bad_request");
        assertEnvelope(http.create("[1,2]"), 400, "bad_request");
        HttpRequest multipart = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fish/model"))
                .header("Authorization", "Bearer tok-a")
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz--\r\n"))
                .build();
        assertEnvelope(http.send(multipart), 400, "api_not_implemented");
        assertEquals(3, sim.createCalls());
    }

    @Test
    void missingOrWrongTokenIs401Envelope() throws Exception {
        ObjectNode ok = body("x", voices.ok("v"));
        assertEnvelope(http.create(ok, null, Duration.ofSeconds(5)), 401, "invalid_token");
        assertEnvelope(http.create(ok, "nope", Duration.ofSeconds(5)), 401, "invalid_token");
        assertEnvelope(http.get("/fish/model", null), 401, "invalid_token");
        assertEnvelope(http.get("/fish/model/abc", "nope"), 401, "invalid_token");
        assertEquals(200, http.create(ok, "tok-b", Duration.ofSeconds(5)).status());
        assertEquals(3, sim.createCalls());
        assertEquals(1, sim.modelsCreated());
    }

    @Test
    void unknownPathsAndMethodsAreNoApiAndUnknownIdIsNotFound() throws Exception {
        assertEnvelope(http.get("/fish/tts"), 404, "no_api");
        assertEnvelope(http.get("/fish/model/a/b"), 404, "no_api");
        HttpRequest put = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fish/model/abc"))
                .header("Authorization", "Bearer tok-a").PUT(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertEnvelope(http.send(put), 404, "no_api");
        // DELETE is offered (as by the official API): an unknown model is simply not found.
        HttpRequest delete = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/fish/model/abc"))
                .header("Authorization", "Bearer tok-a").DELETE().build();
        assertEnvelope(http.send(delete), 404, "not_found");
        assertEnvelope(http.get("/fish/model/0123456789abcdef0123456789abcdef"), 404, "not_found");
    }

    @Test
    void privateModelsAreOnlyVisibleToTheirOwner() throws Exception {
        String id = http.create(body("Mine", voices.ok("v"))).json().get("_id").asText();
        assertEnvelope(http.get("/fish/model/" + id, "tok-b"), 404, "not_found");
        assertEquals(0, http.get("/fish/model", "tok-b").json().get("total").asInt());
        http.create(body("Shared", voices.ok("v")).put("visibility", "public"));
        assertEquals(1, http.get("/fish/model", "tok-b").json().get("total").asInt());
        assertEquals(0, http.get("/fish/model?self=true", "tok-b").json().get("total").asInt());
        assertEquals(2, http.get("/fish/model?self=true", "tok-a").json().get("total").asInt());
    }
}
