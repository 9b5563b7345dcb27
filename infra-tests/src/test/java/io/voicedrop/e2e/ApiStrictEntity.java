package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The compatibility rule of reference section 6.2, checked on a real ModelEntity: every field the strictest official
 * client (the Python SDK's pydantic models) requires, with the JSON type it requires, never null, and only the enum
 * values it accepts. Written from the reference, not from {@code openapi.yaml}, so a change that loosens the
 * document cannot loosen this check too.
 */
final class ApiStrictEntity {

    static final List<String> STRINGS = List.of("_id", "type", "title", "description", "cover_image", "train_mode",
            "state", "created_at", "updated_at", "visibility");
    static final List<String> STRING_ARRAYS = List.of("tags", "languages");
    static final List<String> BOOLEANS = List.of("lock_visibility", "liked", "marked");
    static final List<String> INTEGERS = List.of("like_count", "mark_count", "shared_count", "task_count");
    private static final Set<String> TYPES = Set.of("tts", "svc");
    /** The new Python SDK accepts only {@code fast}; the reference says to emit it. */
    private static final Set<String> TRAIN_MODES = Set.of("fast");
    private static final Set<String> STATES = Set.of("created", "training", "trained", "failed");
    private static final Set<String> VISIBILITIES = Set.of("public", "unlist", "private");

    private ApiStrictEntity() {
    }

    /** Fails with the field and the item when {@code item} would not parse in the strict client. */
    static void check(JsonNode item, String where) {
        String ctx = where + ": " + item;
        assertTrue(item != null && item.isObject(), "not an object: " + ctx);
        for (String f : STRINGS) {
            assertTrue(item.path(f).isTextual(), f + " must be a string: " + ctx);
        }
        assertFalse(item.path("_id").asText().isEmpty(), "_id must not be empty: " + ctx);
        for (String f : STRING_ARRAYS) {
            stringArray(item.path(f), f, ctx);
        }
        for (String f : BOOLEANS) {
            assertTrue(item.path(f).isBoolean(), f + " must be a boolean: " + ctx);
        }
        for (String f : INTEGERS) {
            assertTrue(item.path(f).isIntegralNumber(), f + " must be an integer: " + ctx);
        }
        oneOf(item, "type", TYPES, ctx);
        oneOf(item, "train_mode", TRAIN_MODES, ctx);
        oneOf(item, "state", STATES, ctx);
        oneOf(item, "visibility", VISIBILITIES, ctx);
        dateTime(item, "created_at", ctx);
        dateTime(item, "updated_at", ctx);
        JsonNode samples = item.path("samples");
        assertTrue(samples.isArray(), "samples must be an array: " + ctx);
        for (JsonNode s : samples) {
            for (String f : List.of("title", "text", "task_id", "audio")) {
                assertTrue(s.path(f).isTextual(), "samples[]." + f + " must be a string: " + ctx);
            }
        }
        JsonNode author = item.path("author");
        assertTrue(author.isObject(), "author must be an object: " + ctx);
        for (String f : List.of("_id", "nickname", "avatar")) {
            assertTrue(author.path(f).isTextual(), "author." + f + " must be a string: " + ctx);
        }
    }

    /** {@link #check} on every item of a list answer, which must have an integer {@code total}. */
    static void checkList(JsonNode list, String where) {
        assertTrue(list.path("total").isIntegralNumber(), "total must be an integer: " + where + ": " + list);
        assertTrue(list.path("items").isArray(), "items must be an array: " + where + ": " + list);
        int i = 0;
        for (JsonNode item : list.path("items")) {
            check(item, where + " item " + i++);
        }
    }

    private static void stringArray(JsonNode node, String field, String ctx) {
        assertTrue(node.isArray(), field + " must be an array: " + ctx);
        node.forEach(v -> assertTrue(v.isTextual(), field + " must hold strings: " + ctx));
    }

    private static void oneOf(JsonNode item, String field, Set<String> allowed, String ctx) {
        assertTrue(allowed.contains(item.path(field).asText()), field + " must be one of " + allowed + ": " + ctx);
    }

    private static void dateTime(JsonNode item, String field, String ctx) {
        try {
            OffsetDateTime.parse(item.path(field).asText());
        } catch (DateTimeParseException e) {
            fail(field + " must be an ISO-8601 date-time: " + ctx);
        }
    }
}
