package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.testing.Jobs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes exactly what the handler serves. */
class OpenApiDocumentTest {

    private static String text;
    private static JsonNode doc;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        doc = new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode schema(String name) {
        return doc.get("components").get("schemas").get(name);
    }

    @Test
    void servedAsIsWithoutKey() {
        try (TestApi api = new TestApi()) {
            TestApi.Response r = api.send("GET", "/openapi.yaml", java.util.Map.of());
            assertEquals(200, r.status());
            assertEquals(text, r.body());
        }
    }

    @Test
    void everyPathAndOperation() {
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        assertEquals(Set.of("/fish/model", "/fish/model/{id}", "/models/{id}/source", "/models/{id}/samples",
                "/models/{id}/preview", "/jobs", "/jobs/{id}", "/uploads", "/uploads/{id}", "/openapi.yaml", "/console/"),
                names(doc.get("paths")));
        doc.get("paths").fields().forEachRemaining(p -> assertEquals(switch (p.getKey()) {
            case "/fish/model" -> Set.of("get", "post");
            case "/fish/model/{id}" -> Set.of("get", "patch", "delete");
            case "/jobs/{id}" -> Set.of("get", "delete");
            case "/uploads" -> Set.of("post");
            default -> Set.of("get");
        }, names(p.getValue()), p.getKey()));
        assertEquals("[]", doc.get("paths").get("/openapi.yaml").get("get").get("security").toString());
        assertEquals("[]", doc.get("paths").get("/console/").get("get").get("security").toString());
        assertEquals("bearer", doc.get("components").get("securitySchemes").get("bearerAuth").get("scheme").asText());
    }

    @Test
    void listParametersAreAllDocumented() {
        List<String> params = new ArrayList<>();
        doc.get("paths").get("/fish/model").get("get").get("parameters").forEach(p -> params.add(p.get("name").asText()));
        assertEquals(List.of("page_size", "page_number", "title", "tag", "tag[]", "self", "author_id", "language",
                "language[]", "title_language", "title_language[]", "sort_by"), params);
        List<String> jobParams = new ArrayList<>();
        doc.get("paths").get("/jobs").get("get").get("parameters").forEach(p -> jobParams.add(p.get("name").asText()));
        assertEquals(List.of("status", "limit", "cursor"), jobParams);
    }

    @Test
    void modelEntitySchemaMatchesWhatIsServed() {
        JsonNode model = schema("ModelEntity");
        assertEquals(Set.copyOf(ModelApiTest.STRICT_FIELDS), texts(model.get("required")));
        try (TestApi api = new TestApi()) {
            api.catalog.save(Samples.entry(Samples.model("m1", "t", List.of("x"), List.of("en"),
                    "2026-01-01T00:00:00Z", "a"), "en"));
            JsonNode item = Json.read(api.get("/fish/model").body(), JsonNode.class).get("items").get(0);
            assertEquals(names(model.get("properties")), names(item));
            assertEquals(names(schema("AuthorEntity").get("properties")), names(item.get("author")));
            assertEquals(names(schema("SampleEntity").get("properties")), names(item.get("samples").get(0)));
        }
    }

    @Test
    void jobSchemasMatchWhatIsServed() {
        try (TestApi api = new TestApi()) {
            api.jobs.createIfAbsent(Jobs.failedQuotingPresignedUrls("j1").build());
            JsonNode job = Json.read(api.get("/jobs/j1").body(), JsonNode.class);
            assertEquals(names(schema("Job").get("properties")), names(job));
            assertEquals(texts(schema("Job").get("required")), names(job));
            assertEquals(names(schema("JobAttempt").get("properties")), names(job.get("history").get(0)));
            assertEquals(names(schema("JobError").get("properties")), names(job.get("error")));
            api.jobs.createIfAbsent(Jobs.queued("j2", Instant.parse("2026-01-01T00:00:00Z")).build());
            JsonNode page = Json.read(api.get("/jobs?status=QUEUED").body(), JsonNode.class);
            assertEquals(names(schema("JobPage").get("properties")), names(page));
        }
        Set<String> statuses = texts(schema("JobStatus").get("enum"));
        for (io.voicedrop.core.model.JobStatus s : io.voicedrop.core.model.JobStatus.values()) {
            assertTrue(statuses.contains(s.name()), s.name());
        }
    }

    @Test
    void errorEnvelopeSchemaMatchesWhatIsServed() {
        JsonNode envelope = schema("ErrorEnvelope");
        try (TestApi api = new TestApi()) {
            JsonNode body = Json.read(api.get("/fish/model?page_size=0").body(), JsonNode.class);
            assertEquals(texts(envelope.get("required")), names(body));
            assertEquals(names(envelope.get("properties").get("error").get("properties")), names(body.get("error")));
            // A 422 adds the optional detail items, each exactly as documented.
            TestAudio.Form noTitle = new TestAudio.Form().file("voices", "a.wav", "audio/wav",
                    TestAudio.wav(1, 16000, 1));
            JsonNode invalid = Json.read(CreateModelApiTest.post(api, TestApi.KEY, noTitle.contentType(),
                    noTitle.bytes(), java.util.Map.of()).body(), JsonNode.class);
            assertEquals(names(envelope.get("properties")), names(invalid));
            assertTrue(body.get("detail").isTextual(), "outside a 422, detail is the message: " + body);
            assertEquals(body.get("error").get("message"), body.get("detail"));
            JsonNode item = envelope.get("properties").get("detail").get("oneOf").get(1).get("items");
            assertEquals(names(item.get("properties")), names(invalid.get("detail").get(0)));
            assertEquals(texts(item.get("required")), names(invalid.get("detail").get(0)));
        }
        // Every code Envelope.forStatus or a controller can answer.
        assertEquals(Set.of("bad_request", "api_not_implemented", "invalid_token", "forbidden", "not_found", "no_api",
                "method_not_allowed", "conflict", "not_acceptable", "payload_too_large", "unsupported_media_type",
                "too_many_requests", "api_error"),
                texts(envelope.get("properties").get("error").get("properties").get("code").get("enum")));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertTrue(refs.size() > 20);
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            JsonNode target = doc.at(ref.substring(1));
            assertTrue(!target.isMissingNode(), "unresolved " + ref);
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
