package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.ModelEntity;
import java.io.UncheckedIOException;

/**
 * The JSON writer of response bodies: the shared {@link Json#MAPPER} (ISO timestamps, the records' annotations),
 * except that the model records expose only their annotated fields. Without this, Jackson would also write
 * {@link ModelEntity#isTrained()} and {@link ModelEntity#isFinal()} as {@code "trained"} and {@code "final"}, which
 * are not part of the Fish ModelEntity.
 */
final class ApiJson {

    static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .addMixIn(ModelEntity.class, OnlyDeclaredFields.class)
            .addMixIn(ModelEntity.Author.class, OnlyDeclaredFields.class)
            .addMixIn(ModelEntity.SampleEntity.class, OnlyDeclaredFields.class);

    private ApiJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No helper method ({@code isX()}, {@code getX()}) becomes a JSON field; the record components still do. */
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE,
            getterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class OnlyDeclaredFields {
    }
}
