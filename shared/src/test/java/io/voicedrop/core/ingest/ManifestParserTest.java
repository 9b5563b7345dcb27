package io.voicedrop.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private static ManifestParser.Result parse(String json) {
        return ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String problems(ManifestParser.Result r) {
        return String.join("\n", r.problems());
    }

    @Test
    void anEmptyObjectMeansAllDefaults() {
        ManifestParser.Result r = parse("{}");
        assertTrue(r.valid(), problems(r));
        assertNull(r.manifest().samples());
        ModelSpec spec = r.manifest().spec("Alice");
        assertEquals(ModelSpec.titled("Alice"), spec);
        assertNull(r.manifest().strict());
    }

    @Test
    void everyCreateFieldIsRead() {
        ManifestParser.Result r = parse("""
                {"$schema": "../docs/manifest.schema.json", "title": " Narrator - Alice ", "description": "Studio",
                 "tags": ["en", "narration", "en"], "visibility": "public", "type": "tts", "train_mode": "fast",
                 "enhance_audio_quality": false, "cover_image": "https://cdn.example.org/alice.png",
                 "language": "pt-BR", "strict": true,
                 "samples": [{"file": "take1.wav", "text": "Hello."}, {"file": "sub/take 2+ü.mp3", "text": "Bye."}]}
                """);
        assertTrue(r.valid(), problems(r));
        Manifest m = r.manifest();
        ModelSpec spec = m.spec("folder");
        assertEquals(new ModelSpec("Narrator - Alice", "Studio", List.of("en", "narration"), "public", "tts", "fast",
                false, "https://cdn.example.org/alice.png", "pt-BR", null, false), spec);
        assertTrue(m.strict());
        assertEquals(List.of(new Manifest.Entry("take1.wav", "Hello."), new Manifest.Entry("sub/take 2+ü.mp3", "Bye.")),
                m.samples());
    }

    @Test
    void samplesMayBePlainFileNames() {
        ManifestParser.Result r = parse("{\"samples\": [\"a.wav\", \"b/c.m4a\"]}");
        assertTrue(r.valid(), problems(r));
        assertEquals(List.of(new Manifest.Entry("a.wav", null), new Manifest.Entry("b/c.m4a", null)),
                r.manifest().samples());
    }

    @Test
    void aByteOrderMarkIsTolerated() {
        byte[] json = "\uFEFF{\"title\": \"x\"}".getBytes(StandardCharsets.UTF_8);
        assertTrue(ManifestParser.parse(json).valid());
    }

    @Test
    void notJsonSaysWhereItBroke() {
        ManifestParser.Result r = parse("{\"title\": \"x\",\n}");
        assertFalse(r.valid());
        assertTrue(problems(r).startsWith("model.json: not valid JSON (line 2, column"), problems(r));
        assertFalse(r.samplesUsable());
        assertTrue(problems(parse("")).contains("the file is empty"), problems(parse("")));
        assertTrue(problems(parse("[1]")).contains("must be a JSON object, got an array"));
        assertTrue(problems(parse("title: x")).contains("not valid JSON"));
    }

    @Test
    void unknownFieldsAreNamedWithTheAllowedOnes() {
        ManifestParser.Result r = parse("{\"titel\": \"x\", \"voices\": []}");
        assertEquals(2, r.problems().size(), problems(r));
        assertTrue(r.problems().get(0).startsWith("model.json: unknown field \"titel\" (allowed: $schema, title,"),
                problems(r));
        assertTrue(r.problems().get(1).contains("\"voices\""));
    }

    @Test
    void everyWrongTypeIsReportedAtOnce() {
        ManifestParser.Result r = parse("""
                {"title": 5, "description": [], "tags": "en", "visibility": "secret", "type": "clone",
                 "train_mode": "full", "enhance_audio_quality": "yes", "cover_image": "alice.png",
                 "language": "english!", "strict": 1}
                """);
        String p = problems(r);
        assertEquals(10, r.problems().size(), p);
        assertTrue(p.contains("\"title\" must be a string, got a number"), p);
        assertTrue(p.contains("\"description\" must be a string, got an array"), p);
        assertTrue(p.contains("\"tags\" must be an array of strings, got a string"), p);
        assertTrue(p.contains("\"visibility\" must be one of private, public, unlist, got \"secret\""), p);
        assertTrue(p.contains("\"type\" must be \"tts\""), p);
        assertTrue(p.contains("\"train_mode\" must be \"fast\""), p);
        assertTrue(p.contains("\"enhance_audio_quality\" must be true or false, got a string"), p);
        assertTrue(p.contains("\"cover_image\" must be an http(s) URL"), p);
        assertTrue(p.contains("\"language\" must be a language code"), p);
        assertTrue(p.contains("\"strict\" must be true or false, got a number"), p);
        assertTrue(r.samplesUsable(), "samples were not given, so the folder's files may still be checked");
    }

    @Test
    void badSampleListsAreUnusable() {
        for (String samples : List.of("\"a.wav\"", "[]", "[1]", "[{\"text\": \"x\"}]", "[\"../a.wav\"]",
                "[\"/a.wav\"]", "[\"a//b.wav\"]", "[\"sub/\"]", "[\"./a.wav\"]", "[\"\"]",
                "[{\"file\": \"a.wav\", \"txt\": \"x\"}]", "[{\"file\": \"a.wav\", \"text\": \" \"}]",
                "[\"a.wav\", \"a.wav\"]", "[{\"file\": \"a.wav\", \"text\": \"x\"}, \"b.wav\"]")) {
            ManifestParser.Result r = parse("{\"samples\": " + samples + "}");
            assertFalse(r.valid(), samples);
            assertFalse(r.samplesUsable(), samples);
            assertNull(r.manifest().samples(), samples);
        }
        assertTrue(problems(parse("{\"samples\": [\"a.wav\", \"a.wav\"]}")).contains("lists \"a.wav\" more than once"));
        assertTrue(problems(parse("{\"samples\": [{\"file\": \"a.wav\", \"text\": \"x\"}, \"b.wav\"]}"))
                .contains("give a \"text\" for every sample or for none (1 of 2 have one)"));
    }

    @Test
    void reservedTagsAndDuplicateFieldsAreRejected() {
        assertTrue(problems(parse("{\"tags\": [\"vd-job-123\"]}")).contains("reserved for VoiceDrop"));
        assertTrue(problems(parse("{\"tags\": [\"\"]}")).contains("\"tags\"[0] must not be empty"));
        assertTrue(problems(parse("{\"title\": \"a\", \"title\": \"b\"}")).contains("field 'title' is given twice"),
                problems(parse("{\"title\": \"a\", \"title\": \"b\"}")));
        assertTrue(problems(parse("{\"title\": \"  \"}")).contains("\"title\" must not be empty"));
    }
}
