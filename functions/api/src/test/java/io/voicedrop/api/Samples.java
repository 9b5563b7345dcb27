package io.voicedrop.api;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.util.List;

/** Catalog test data (jobs come from {@link io.voicedrop.testing.Jobs}). */
final class Samples {

    private Samples() {
    }

    static ModelEntity model(String id, String title, List<String> tags, List<String> languages, String createdAt,
                             String authorId) {
        return new ModelEntity(id, "tts", title, null, null, "fast", "trained", tags,
                List.of(new ModelEntity.SampleEntity("s1", "hello", "task-1", "")), createdAt, null, languages,
                "private", false, 0, 0, 0, 3, false, false, new ModelEntity.Author(authorId, "pipeline", null));
    }

    static CatalogEntry entry(ModelEntity model, String titleLanguage) {
        return new CatalogEntry(model, "job-" + model.id(), List.of("incoming/" + model.id() + "/a.wav"),
                titleLanguage);
    }
}
