package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.ListQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /fish/model} and {@code GET /fish/model/{id}} through the real handler, as API Gateway calls it. */
class ModelApiTest {

    static final String ID = "d7900c21663f485ab63ebdb7e5905036";
    static final String AUTHOR = "9a8b7c6d5e4f40312a1b2c3d4e5f6a7b";

    /** Reference section 6.2: every item must carry all of these, never null. */
    static final List<String> STRICT_FIELDS = List.of("_id", "type", "title", "description", "cover_image",
            "train_mode", "state", "tags", "samples", "created_at", "updated_at", "languages", "visibility",
            "lock_visibility", "like_count", "mark_count", "shared_count", "task_count", "author", "liked", "marked");

    static final String MODEL_JSON = "{\"_id\":\"" + ID + "\",\"type\":\"tts\",\"title\":\"Narrator - Alice\","
            + "\"description\":\"\",\"cover_image\":\"\",\"train_mode\":\"fast\",\"state\":\"trained\","
            + "\"tags\":[\"demo\",\"narration\"],"
            + "\"samples\":[{\"title\":\"s1\",\"text\":\"hello\",\"task_id\":\"task-1\",\"audio\":\"\"}],"
            + "\"created_at\":\"2026-01-15T09:30:00.123000Z\",\"updated_at\":\"2026-01-15T09:30:00.123000Z\","
            + "\"languages\":[\"en\"],\"visibility\":\"private\",\"lock_visibility\":false,\"like_count\":0,"
            + "\"mark_count\":0,\"shared_count\":0,\"task_count\":3,\"liked\":false,\"marked\":false,"
            + "\"author\":{\"_id\":\"" + AUTHOR + "\",\"nickname\":\"pipeline\",\"avatar\":\"\"}}";

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void seedOne() {
        // The job marker tag is VoiceDrop's bookkeeping: stored in the catalog, never shown.
        api.catalog.save(Samples.entry(Samples.model(ID, "Narrator - Alice", List.of("demo", "vd-job-0001", "narration"),
                List.of("en"), "2026-01-15T09:30:00.123000Z", AUTHOR), "en"));
    }

    private void seedMany(int n) {
        for (int i = 0; i < n; i++) {
            String id = String.format("%032x", i);
            api.catalog.save(Samples.entry(Samples.model(id, "Model " + i, List.of(i % 2 == 0 ? "even" : "odd"),
                    List.of(i % 3 == 0 ? "zh" : "en"), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i) + "",
                    AUTHOR), "en"));
        }
    }

    private static ListQuery defaults() {
        return new ListQuery(10, 1, null, List.of(), false, null, List.of(), List.of(), "created_at");
    }

    private static void assertBadRequest(TestApi.Response r, String message) {
        assertEquals(400, r.status(), r.body());
        String traceId = r.header("X-Trace-Id");
        assertEquals("{\"success\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"" + message
                + "\"},\"detail\":\"" + message + "\",\"trace_id\":\"" + traceId + "\"}", r.body());
    }

    @Test
    void listIsTheFishShapeWithFullEntities() {
        seedOne();
        TestApi.Response r = api.get("/fish/model");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        assertFalse(r.raw().getIsBase64Encoded());
        assertEquals("{\"total\":1,\"items\":[" + MODEL_JSON + "],\"has_more\":false,\"total_is_exact\":true,"
                + "\"window_limited\":false}", r.body());
        assertEquals(defaults(), api.catalog.lastQuery());
    }

    @Test
    void getOneIsTheBareEntity() {
        seedOne();
        TestApi.Response r = api.get("/fish/model/" + ID);
        assertEquals(200, r.status());
        assertEquals(MODEL_JSON, r.body());
        assertNotNull(r.header("X-Trace-Id"));
    }

    @Test
    void unknownModelIsNotFound() {
        TestApi.Response r = api.get("/fish/model/0123456789abcdef0123456789abcdef");
        assertEquals(404, r.status());
        assertEquals("{\"success\":false,\"error\":{\"code\":\"not_found\",\"message\":\"The model does not exist.\"},"
                + "\"detail\":\"The model does not exist.\",\"trace_id\":\"" + r.header("X-Trace-Id") + "\"}", r.body());
        assertEquals(404, api.get("/fish/model/" + "x".repeat(300)).status());
    }

    @Test
    void everyItemHasEveryStrictFieldAndNoNulls() {
        seedMany(12);
        JsonNode body = Json.read(api.get("/fish/model?page_size=100").body(), JsonNode.class);
        assertEquals(12, body.get("total").asLong());
        assertEquals(12, body.get("items").size());
        for (JsonNode item : body.get("items")) {
            for (String field : STRICT_FIELDS) {
                assertTrue(item.has(field), "missing " + field + " in " + item);
            }
            assertNoNulls(item, "$");
            for (String f : List.of("_id", "nickname", "avatar")) {
                assertTrue(item.get("author").get(f).isTextual(), f);
            }
            for (JsonNode sample : item.get("samples")) {
                for (String f : List.of("title", "text", "task_id", "audio")) {
                    assertTrue(sample.get(f).isTextual(), f);
                }
            }
        }
    }

    private static void assertNoNulls(JsonNode node, String path) {
        assertFalse(node.isNull(), "null at " + path);
        node.fields().forEachRemaining(e -> assertNoNulls(e.getValue(), path + "." + e.getKey()));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            assertNoNulls(node.get(i), path + "[" + i + "]");
        }
    }

    @Test
    void defaultPageIsTenNewestFirstWithTotalOfAll() {
        seedMany(12);
        JsonNode body = Json.read(api.get("/fish/model").body(), JsonNode.class);
        assertEquals(12, body.get("total").asLong());
        List<String> ids = new ArrayList<>();
        body.get("items").forEach(i -> ids.add(i.get("_id").asText()));
        assertEquals(10, ids.size());
        assertEquals(String.format("%032x", 11), ids.get(0));
        assertEquals(String.format("%032x", 2), ids.get(9));

        JsonNode page2 = Json.read(api.get("/fish/model?page_number=2").body(), JsonNode.class);
        assertEquals(12, page2.get("total").asLong());
        assertEquals(2, page2.get("items").size());
        assertEquals(String.format("%032x", 0), page2.get("items").get(1).get("_id").asText());
    }

    @Test
    void everyParameterReachesTheCatalog() {
        TestApi.Response r = api.get("/fish/model?page_size=5&page_number=2&title=Narr%20ator&tag=a&tag=b&self=True"
                + "&author_id=abc&language=en&language=zh&title_language=en&sort_by=task_count&unknown=1");
        assertEquals(200, r.status(), r.body());
        assertEquals(new ListQuery(5, 2, "Narr ator", List.of("a", "b"), true, "abc", List.of("en", "zh"),
                List.of("en"), "task_count"), api.catalog.lastQuery());
    }

    @Test
    void whatThePythonSdkAlwaysSends() {
        assertEquals(200, api.get("/fish/model?page_size=10&page_number=1&self=false&sort_by=task_count").status());
        assertEquals(new ListQuery(10, 1, null, List.of(), false, null, List.of(), List.of(), "task_count"),
                api.catalog.lastQuery());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tag=a&tag=b",
            "tag[]=a&tag[]=b",
            "tag%5B%5D=a&tag%5B%5D=b",
            "tag=a&tag%5B%5D=b"})
    void bothTagEncodings(String query) {
        assertEquals(200, api.get("/fish/model?" + query).status());
        assertEquals(List.of("a", "b"), api.catalog.lastQuery().tags());
    }

    @Test
    void tagsFilterTheItems() {
        seedMany(6);
        JsonNode body = Json.read(api.get("/fish/model?tag=even").body(), JsonNode.class);
        assertEquals(3, body.get("total").asLong());
        assertEquals(0, Json.read(api.get("/fish/model?tag=even&tag[]=odd").body(), JsonNode.class)
                .get("total").asLong());
    }

    @Test
    void repeatsComeFromRawQueryStringNotFromTheCommaJoinedMap() {
        // API Gateway gives tag=a&tag=b and tag=a%2Cb the same queryStringParameters ("a,b"); only the raw query
        // string tells them apart.
        APIGatewayV2HTTPEvent two = HttpApiEvents.get("/fish/model?tag=a&tag=b", auth());
        APIGatewayV2HTTPEvent one = HttpApiEvents.get("/fish/model?tag=a%2Cb", auth());
        assertEquals(Map.of("tag", "a,b"), two.getQueryStringParameters());
        assertEquals(Map.of("tag", "a,b"), one.getQueryStringParameters());
        assertEquals(200, api.send(two).status());
        assertEquals(List.of("a", "b"), api.catalog.lastQuery().tags());
        assertEquals(200, api.send(one).status());
        assertEquals(List.of("a,b"), api.catalog.lastQuery().tags());
    }

    @Test
    void commasInTitleAreKept() {
        assertEquals(200, api.get("/fish/model?title=Hello%2C%20world&language=en,zh").status());
        assertEquals("Hello, world", api.catalog.lastQuery().title());
        assertEquals(List.of("en,zh"), api.catalog.lastQuery().languages());
    }

    @Test
    void plusIsASpace() {
        assertEquals(200, api.get("/fish/model?title=Narr+ator").status());
        assertEquals("Narr ator", api.catalog.lastQuery().title());
    }

    @Test
    void eventWithoutRawQueryStringFallsBackToTheJoinedMap() {
        APIGatewayV2HTTPEvent event = HttpApiEvents.get("/fish/model?tag=a&tag=b&page_size=3", auth());
        event.setRawQueryString(null);
        assertEquals(200, api.send(event).status());
        assertEquals(List.of("a", "b"), api.catalog.lastQuery().tags());
        assertEquals(3, api.catalog.lastQuery().pageSize());
    }

    @Test
    void micronautAloneWouldSplitCommasWhichIsWhyTheRawQueryIsParsed() {
        TestApi.Response r = api.get("/test/params?tag=a&tag=b&title=x%2Cy");
        JsonNode seen = Json.read(r.body(), JsonNode.class);
        // micronaut-function-aws-api-proxy 4.x: built from queryStringParameters, then split on commas.
        assertEquals("[\"x\",\"y\"]", seen.get("micronaut").get("title").toString());
        assertEquals("[\"x,y\"]", seen.get("ours").get("title").toString());
        assertEquals("[\"a\",\"b\"]", seen.get("ours").get("tag").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "page_size=0|page_size must be between 1 and 100",
            "page_size=101|page_size must be between 1 and 100",
            "page_size=abc|page_size must be between 1 and 100",
            "page_size=|page_size must be between 1 and 100",
            "page_size=-5|page_size must be between 1 and 100",
            "page_number=0|page_number must be a whole number of at least 1",
            "page_number=x|page_number must be a whole number of at least 1",
            "self=maybe|self must be true or false",
            "sort_by=likes|sort_by must be one of score, task_count, created_at",
            "title=%ZZ|the query string is malformed"})
    void invalidParametersAreBadRequests(String query, String message) {
        assertBadRequest(api.get("/fish/model?" + query), message);
        assertTrue(api.catalog.queries.isEmpty(), "the catalog must not be asked");
    }

    @Test
    void tooLongValuesAreBadRequests() {
        assertBadRequest(api.get("/fish/model?title=" + "t".repeat(201)), "title must be at most 200 characters");
        assertEquals(200, api.get("/fish/model?title=" + "t".repeat(200)).status());
        assertBadRequest(api.get("/fish/model?tag=" + "t".repeat(101)), "each tag must be at most 100 characters");
        StringBuilder many = new StringBuilder("/fish/model?tag=t0");
        for (int i = 1; i <= 20; i++) {
            many.append(i % 2 == 0 ? "&tag=t" : "&tag[]=t").append(i);
        }
        assertBadRequest(api.get(many.toString()), "at most 20 tags are allowed");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "True,true", "1,true", "false,false", "0,false", "False,false"})
    void selfValues(String value, boolean expected) {
        assertEquals(200, api.get("/fish/model?self=" + value).status());
        assertEquals(expected, api.catalog.lastQuery().self());
    }

    static Map<String, String> auth() {
        return Map.of("authorization", "Bearer " + TestApi.KEY);
    }
}
