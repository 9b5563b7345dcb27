package io.voicedrop.sim;

import static io.voicedrop.sim.SimHttp.assertEnvelope;
import static io.voicedrop.sim.SimHttp.assertFullEntity;
import static io.voicedrop.sim.SimHttp.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FishSimulatorListTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T09:30:00.123456Z"));
    private VoiceServer voices;
    private FishSimulator sim;
    private SimHttp http;

    @BeforeEach
    void start() throws Exception {
        voices = new VoiceServer();
        sim = FishSimulator.start(FishSimulator.Settings.defaults().clock(clock));
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
        voices.close();
    }

    private String create(String title, String... tags) throws Exception {
        ObjectNode req = body(title, voices.ok(title.replaceAll("[^A-Za-z0-9]", "_")));
        tags(req, tags);
        SimHttp.Resp r = http.create(req);
        assertEquals(200, r.status(), r.body());
        clock.advance(Duration.ofSeconds(1));
        return r.json().get("_id").asText();
    }

    private static void tags(ObjectNode req, String... tags) {
        req.putArray("tags").addAll(List.of(tags).stream().map(SimHttp.JSON.getNodeFactory()::textNode).toList());
    }

    private List<String> titles(String query) throws Exception {
        SimHttp.Resp r = http.get("/fish/model" + query);
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode item : r.json().get("items")) {
            assertFullEntity(item);
            out.add(item.get("title").asText());
        }
        return out;
    }

    @Test
    void pagesAreNewestFirstWithAStableTotal() throws Exception {
        for (int i = 0; i < 25; i++) {
            create("m" + i);
        }
        SimHttp.Resp first = http.get("/fish/model");
        assertEquals(25, first.json().get("total").asInt());
        assertEquals(10, first.json().get("items").size());
        assertEquals("m24", first.json().get("items").get(0).get("title").asText());
        assertEquals(List.of("m4", "m3", "m2", "m1", "m0"), titles("?page_size=10&page_number=3"));
        assertEquals(25, http.get("/fish/model?page_size=10&page_number=3").json().get("total").asInt());
        assertEquals(List.of(), titles("?page_size=10&page_number=4"));
        assertEquals(List.of("m22"), titles("?page_size=1&page_number=3"));
        assertEquals(25, titles("?page_size=100").size());
    }

    @Test
    void invalidListParametersAre400() throws Exception {
        for (String q : List.of("page_size=0", "page_size=101", "page_size=ten", "page_number=0",
                "page_number=-1", "self=yes", "sort_by=newest", "page_size=5&page_size=6")) {
            assertEnvelope(http.get("/fish/model?" + q), 400, "bad_request");
        }
        assertEquals(200, http.get("/fish/model?self=TRUE&sort_by=task_count&page_size=100").status());
    }

    @Test
    void tagsMatchAllGivenTagsInEveryWireForm() throws Exception {
        create("ab", "a", "b");
        create("a", "a");
        create("b", "b");
        create("c", "c");
        assertEquals(List.of("a", "ab"), titles("?tag=a"));
        assertEquals(List.of("ab"), titles("?tag=a&tag=b"));
        assertEquals(List.of("ab"), titles("?tag[]=a&tag[]=b"));
        assertEquals(List.of("ab"), titles("?tag%5B%5D=a&tag%5B%5D=b"));
        assertEquals(List.of(), titles("?tag=A"));

        sim.update(s -> s.tagMatch(FishSimulator.TagMatch.ANY));
        assertEquals(List.of("b", "a", "ab"), titles("?tag=a&tag=b"));
    }

    @Test
    void titleLanguageAndSelfFilters() throws Exception {
        create("Narrator - Alice");
        create("Villain voice");
        sim.update(s -> s.languages("zh", "en"));
        create("Alice in Chinese");
        assertEquals(List.of("Alice in Chinese", "Narrator - Alice"), titles("?title=ALICE"));
        assertEquals(List.of("Villain voice"), titles("?title=n%20v"));
        assertEquals(List.of("Alice in Chinese"), titles("?language=zh"));
        assertEquals(3, titles("?language=zh&language=en").size());
        assertEquals(3, titles("?self=true").size());
        assertEquals(0, titles("?author_id=ffffffffffffffffffffffffffffffff").size());
    }

    @Test
    void trainingFinishesAfterTheConfiguredPolls() throws Exception {
        sim.update(s -> s.initialState("training").trainAfterPolls(2));
        SimHttp.Resp created = http.create(body("Slow", voices.ok("slow")));
        assertEquals("training", created.json().get("state").asText());
        String path = "/fish/model/" + created.json().get("_id").asText();
        clock.advance(Duration.ofSeconds(5));
        assertEquals("training", http.get(path).json().get("state").asText());
        assertEquals("training", http.get(path).json().get("state").asText());
        JsonNode done = http.get(path).json();
        assertEquals("trained", done.get("state").asText());
        assertTrue(done.get("updated_at").asText().compareTo(done.get("created_at").asText()) > 0, done.toString());
        assertEquals("trained", sim.models().get(0).state());
    }

    @Test
    void trainingFinishesAfterTheConfiguredTimeOrFails() throws Exception {
        sim.update(s -> s.initialState("training").trainAfter(Duration.ofMinutes(2)).trainingOutcome("failed"));
        String id = http.create(body("Timed", voices.ok("t"))).json().get("_id").asText();
        clock.advance(Duration.ofMinutes(1));
        assertEquals("training", http.get("/fish/model/" + id).json().get("state").asText());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("failed", http.get("/fish/model").json().at("/items/0/state").asText());
    }

    @Test
    void trainingWithoutAnEndStaysTraining() throws Exception {
        sim.update(s -> s.initialState("training"));
        String id = http.create(body("Stuck", voices.ok("s"))).json().get("_id").asText();
        for (int i = 0; i < 5; i++) {
            assertEquals("training", http.get("/fish/model/" + id).json().get("state").asText());
        }
    }
}
