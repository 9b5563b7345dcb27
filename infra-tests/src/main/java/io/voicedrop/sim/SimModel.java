package io.voicedrop.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Immutable snapshot of one stored voice model, as tests see it through {@link FishSimulator#models()}.
 *
 * @param request the JSON body of the create call that produced it, so tests can assert on exactly
 *     what the client sent (e.g. that {@code enhance_audio_quality} was explicit)
 */
public record SimModel(
        String id,
        String title,
        String description,
        String coverImage,
        String state,
        List<String> tags,
        List<Sample> samples,
        Instant createdAt,
        Instant updatedAt,
        List<String> languages,
        String visibility,
        String authorId,
        JsonNode request) {

    /** One uploaded voice sample; {@code audio} is the URL the client gave. */
    public record Sample(String title, String text, String taskId, String audio) {}

    // Upstream examples carry microseconds ("2024-09-01T07:53:39.476000Z"); match that width.
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public SimModel {
        tags = List.copyOf(tags);
        samples = List.copyOf(samples);
        languages = List.copyOf(languages);
        request = request == null ? null : request.deepCopy();
    }

    @Override
    public JsonNode request() {
        // JsonNode is mutable; hand out copies so a test cannot corrupt the stored original.
        return request == null ? null : request.deepCopy();
    }

    SimModel withState(String newState, Instant at) {
        return new SimModel(id, title, description, coverImage, newState, tags, samples, createdAt, at,
                languages, visibility, authorId, request);
    }

    /** The model after a PATCH: null fields stay as they are. */
    SimModel edited(String newTitle, String newDescription, String newVisibility, List<String> newTags,
                    String newCover, Instant at) {
        return new SimModel(id, newTitle != null ? newTitle : title,
                newDescription != null ? newDescription : description, newCover != null ? newCover : coverImage,
                state, newTags != null ? newTags : tags, samples, createdAt, at, languages,
                newVisibility != null ? newVisibility : visibility, authorId, request);
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    static String nickname(String authorId) {
        return "sim-" + authorId.substring(0, 8);
    }

    /**
     * The full ModelEntity of contract section 6.2: every field the strict Python SDK demands,
     * with "" and [] instead of null so the simulator never passes a client that upstream would break.
     */
    public ObjectNode toJson() {
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("_id", id);
        n.put("type", "tts");
        n.put("title", title);
        n.put("description", description);
        n.put("cover_image", coverImage);
        n.put("train_mode", "fast");
        n.put("state", state);
        strings(n.putArray("tags"), tags);
        ArrayNode sampleArray = n.putArray("samples");
        for (Sample s : samples) {
            ObjectNode sn = sampleArray.addObject();
            sn.put("title", s.title());
            sn.put("text", s.text());
            sn.put("task_id", s.taskId());
            sn.put("audio", s.audio());
        }
        n.put("created_at", timestamp(createdAt));
        n.put("updated_at", timestamp(updatedAt));
        strings(n.putArray("languages"), languages);
        n.put("visibility", visibility);
        n.put("lock_visibility", false);
        n.put("like_count", 0);
        n.put("mark_count", 0);
        n.put("shared_count", 0);
        n.put("task_count", 0);
        n.put("liked", false);
        n.put("marked", false);
        n.put("unliked", false);
        n.put("default_text", "");
        ObjectNode author = n.putObject("author");
        author.put("_id", authorId);
        author.put("nickname", nickname(authorId));
        author.put("avatar", "");
        return n;
    }

    private static void strings(ArrayNode target, List<String> values) {
        values.forEach(target::add);
    }
}
