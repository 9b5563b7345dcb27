package io.voicedrop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voicedrop.adapters.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelEntityTest {

    @Test
    void missingFieldsBecomeEmptyValuesNeverNull() throws Exception {
        ModelEntity m = Json.read("{\"_id\":\"abc\",\"title\":\"t\",\"author\":{\"_id\":\"a\"}}", ModelEntity.class);
        String json = Json.write(m);
        for (String field : List.of("\"description\":\"\"", "\"cover_image\":\"\"", "\"tags\":[]", "\"samples\":[]",
                "\"languages\":[]", "\"avatar\":\"\"", "\"nickname\":\"\"", "\"lock_visibility\":false", "\"like_count\":0")) {
            assertEquals(true, json.contains(field), field + " missing in " + json);
        }
        assertEquals(false, json.contains("null"), json);
    }

    @Test
    void presignedSampleUrlsAreCutToTheirAddress() {
        ModelEntity m = new ModelEntity("id", "tts", "t", "", "", "fast", "trained", List.of(), List.of(
                new ModelEntity.SampleEntity("s", "", "1", "https://b.s3.amazonaws.com/k.wav?X-Amz-Signature=abc&X-Amz-Credential=x"),
                new ModelEntity.SampleEntity("s", "", "2", "https://cdn.fish.audio/a.mp3?v=2")),
                "2026-01-01T00:00:00Z", null, List.of(), "private", false, 0, 0, 0, 0, false, false, null);
        List<ModelEntity.SampleEntity> clean = m.withoutSignedUrls().samples();
        assertEquals("https://b.s3.amazonaws.com/k.wav", clean.get(0).audio());
        assertEquals("https://cdn.fish.audio/a.mp3?v=2", clean.get(1).audio());
    }
}
