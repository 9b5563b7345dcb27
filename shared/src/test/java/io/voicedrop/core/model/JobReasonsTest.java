package io.voicedrop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voicedrop.adapters.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobReasonsTest {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void reasonsSurviveTheStoreAndTransitions() {
        Job job = Job.rejected("j1", "b", List.of("incoming/a/model.json"), ModelSpec.titled("a"),
                List.of("x.wav: not audio", "too many samples"), List.of("w"), T);
        Job back = Json.read(Json.write(job), Job.class);
        assertEquals(job, back);
        assertEquals(List.of("x.wav: not audio", "too many samples"), back.withVersion(3).reasons());
        assertEquals("x.wav: not audio; too many samples", back.error().message());
    }

    @Test
    void jobsStoredBeforeReasonsExistedStillRead() {
        Job queued = Job.queued("j2", "b", List.of("incoming/a.wav"), List.of(new Sample("incoming/a.wav", "v", 3, null)),
                ModelSpec.titled("a"), List.of(), T);
        String old = Json.write(queued).replace(",\"reasons\":[]", "");
        assertEquals(queued, Json.read(old, Job.class));
    }
}
