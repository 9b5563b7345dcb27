package io.voicedrop.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.voicedrop.core.ingest.ManifestParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The documented schema ({@code docs/manifest.schema.json}) and the parser ingest runs must accept and refuse the
 * same manifests. A maintained JSON Schema validator judges the schema side.
 */
class ManifestSchemaAgreementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Manifests both must accept. */
    private static final List<String> VALID = List.of(
            "{}",
            "{\"title\": \"Narrator - Alice\"}",
            "{\"$schema\": \"../../docs/manifest.schema.json\", \"title\": \"x\"}",
            "{\"description\": \"\"}",
            "{\"tags\": []}",
            "{\"tags\": [\"en\", \"narration\", \"en\"]}",
            "{\"visibility\": \"private\"}", "{\"visibility\": \"public\"}", "{\"visibility\": \"unlist\"}",
            "{\"type\": \"tts\", \"train_mode\": \"fast\"}",
            "{\"enhance_audio_quality\": false, \"strict\": true}", "{\"remove_samples_when_trained\": true}",
            "{\"cover_image\": \"https://cdn.example.org/a.png?x=1\"}",
            "{\"cover_image\": \"http://example.org/a.png\"}",
            "{\"language\": \"en\"}", "{\"language\": \"pt-BR\"}", "{\"language\": \"zh-Hans-CN\"}",
            "{\"samples\": [\"a.wav\"]}",
            "{\"generate_sample\": true, \"callback_url\": \"https://hooks.example.org/vd?token=x\"}",
            "{\"callback_url\": \"http://127.0.0.1:8080/hook\"}",
            "{\"preview_text\": \"\"}", "{\"preview_text\": \"" + "ü".repeat(500) + "\"}",
            "{\"samples\": [\"sub dir/take 1+ü.mp3\", \"a/b/c.m4a\", \"..a.wav\", \"a..b.wav\", \".hidden.wav\"]}",
            "{\"samples\": [{\"file\": \"a.wav\"}, {\"file\": \"b.wav\"}]}",
            "{\"samples\": [{\"file\": \"a.wav\", \"text\": \"One.\"}, {\"file\": \"b.wav\", \"text\": \"Two.\"}]}",
            """
            {"title": "Narrator - Alice", "description": "Studio takes", "tags": ["en", "narration"],
             "visibility": "private", "type": "tts", "train_mode": "fast", "enhance_audio_quality": true,
             "cover_image": "https://cdn.example.org/alice.png", "language": "en", "strict": true,
             "samples": [{"file": "take1.wav", "text": "First."}, {"file": "extra/take2.mp3", "text": "Second."}]}
            """);

    /** Manifests both must refuse. */
    private static final List<String> INVALID = List.of(
            "[]", "\"title\"", "42", "null",
            "{\"titel\": \"x\"}", "{\"voices\": [\"https://x/a.wav\"]}", "{\"texts\": [\"a\"]}",
            "{\"generate_sample\": \"yes\"}", "{\"callback_url\": \"hooks.example.org/x\"}",
            "{\"callback_url\": \"ftp://hooks.example.org/x\"}", "{\"callback_url\": 1}",
            "{\"preview_text\": 5}", "{\"preview_text\": \"" + "a".repeat(501) + "\"}",
            "{\"$schema\": 1}",
            "{\"title\": 5}", "{\"title\": \"\"}", "{\"title\": \"   \"}", "{\"title\": null}",
            "{\"description\": 1}", "{\"description\": null}",
            "{\"tags\": \"en\"}", "{\"tags\": [1]}", "{\"tags\": [\"\"]}", "{\"tags\": [\" \"]}",
            "{\"tags\": [\"vd-job-1234\"]}", "{\"tags\": [null]}",
            "{\"visibility\": \"Private\"}", "{\"visibility\": \"unlisted\"}", "{\"visibility\": 1}",
            "{\"type\": \"TTS\"}", "{\"type\": 1}", "{\"train_mode\": \"full\"}",
            "{\"enhance_audio_quality\": \"true\"}", "{\"enhance_audio_quality\": 1}", "{\"strict\": \"yes\"}",
            "{\"strict\": null}", "{\"remove_samples_when_trained\": \"yes\"}",
            "{\"cover_image\": \"cover.png\"}", "{\"cover_image\": \"ftp://x/a.png\"}",
            "{\"cover_image\": \"https://\"}", "{\"cover_image\": \"https://x/a b.png\"}",
            "{\"language\": \"english\"}", "{\"language\": \"e\"}", "{\"language\": \"en_US\"}", "{\"language\": 1}",
            "{\"samples\": \"a.wav\"}", "{\"samples\": []}", "{\"samples\": [1]}", "{\"samples\": [null]}",
            "{\"samples\": [\"\"]}", "{\"samples\": [\"/a.wav\"]}", "{\"samples\": [\"../a.wav\"]}",
            "{\"samples\": [\"sub/../a.wav\"]}", "{\"samples\": [\"./a.wav\"]}", "{\"samples\": [\"a//b.wav\"]}",
            "{\"samples\": [\"sub/\"]}", "{\"samples\": [\"..\"]}",
            "{\"samples\": [{\"text\": \"x\"}]}", "{\"samples\": [{\"file\": 1}]}",
            "{\"samples\": [{\"file\": \"a.wav\", \"txt\": \"x\"}]}", "{\"samples\": [{\"file\": \"a.wav\", \"text\": 1}]}",
            "{\"samples\": [{\"file\": \"a.wav\", \"text\": \"\"}]}", "{\"samples\": [[\"a.wav\"]]}");

    /** Rules a JSON Schema cannot state: the schema accepts these, the parser refuses them (and says why). */
    private static final List<String> PARSER_ONLY = List.of(
            "{\"samples\": [\"a.wav\", \"a.wav\"]}",
            "{\"samples\": [{\"file\": \"a.wav\", \"text\": \"x\"}, \"b.wav\"]}",
            "{\"samples\": [{\"file\": \"a.wav\", \"text\": \"x\"}, {\"file\": \"a.wav\", \"text\": \"y\"}]}");

    private final Schema schema = loadSchema();

    @Test
    void theSchemaAndTheParserAgree() throws IOException {
        List<String> disagreements = new ArrayList<>();
        for (String json : VALID) {
            check(json, true, true, disagreements);
        }
        for (String json : INVALID) {
            check(json, false, false, disagreements);
        }
        for (String json : PARSER_ONLY) {
            check(json, true, false, disagreements);
        }
        assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
    }

    @Test
    void theSchemaDocumentsExactlyTheFieldsTheParserKnows() throws IOException {
        JsonNode doc = MAPPER.readTree(schemaPath().toFile());
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> it = doc.path("properties").fieldNames(); it.hasNext(); ) {
            documented.add(it.next());
        }
        assertEquals(new TreeSet<>(ManifestParser.FIELDS), documented);
        assertFalse(doc.path("additionalProperties").asBoolean(true), "unknown fields must be refused");
        for (JsonNode example : doc.path("examples")) {
            assertTrue(ManifestParser.parse(MAPPER.writeValueAsBytes(example)).valid(), example.toString());
            assertTrue(schema.validate(example).isEmpty(), example.toString());
        }
    }

    private void check(String json, boolean schemaValid, boolean parserValid, List<String> out) throws IOException {
        List<Error> errors = schema.validate(MAPPER.readTree(json));
        ManifestParser.Result parsed = ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8));
        if (errors.isEmpty() != schemaValid) {
            out.add("schema says " + (errors.isEmpty() ? "valid" : "invalid " + errors) + ": " + json);
        }
        if (parsed.valid() != parserValid) {
            out.add("parser says " + (parsed.valid() ? "valid" : "invalid " + parsed.problems()) + ": " + json);
        }
    }

    private static Schema loadSchema() {
        try {
            JsonNode doc = MAPPER.readTree(schemaPath().toFile());
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path schemaPath() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path schema = p.resolve("docs/manifest.schema.json");
            if (Files.isRegularFile(schema)) {
                return schema;
            }
        }
        throw new IllegalStateException("docs/manifest.schema.json not found above " + Path.of("").toAbsolutePath());
    }
}
