package io.voicedrop.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A voice model exactly as the Fish API exchanges it (reference section 6). Every field the strictest official
 * client requires is always present: missing strings become {@code ""}, missing lists {@code []}, never null.
 * Timestamps stay the ISO-8601 strings upstream sent, so they round-trip byte for byte.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelEntity(
        @JsonProperty("_id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("description") String description,
        @JsonProperty("cover_image") String coverImage,
        @JsonProperty("train_mode") String trainMode,
        @JsonProperty("state") String state,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("samples") List<SampleEntity> samples,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("languages") List<String> languages,
        @JsonProperty("visibility") String visibility,
        @JsonProperty("lock_visibility") boolean lockVisibility,
        @JsonProperty("like_count") long likeCount,
        @JsonProperty("mark_count") long markCount,
        @JsonProperty("shared_count") long sharedCount,
        @JsonProperty("task_count") long taskCount,
        @JsonProperty("liked") boolean liked,
        @JsonProperty("marked") boolean marked,
        @JsonProperty("author") Author author) {

    public static final String STATE_TRAINED = "trained";
    public static final String STATE_FAILED = "failed";

    public ModelEntity {
        type = orEmpty(type, "tts");
        title = orEmpty(title, "");
        description = orEmpty(description, "");
        coverImage = orEmpty(coverImage, "");
        trainMode = orEmpty(trainMode, "fast");
        state = orEmpty(state, "created");
        tags = tags == null ? List.of() : List.copyOf(tags);
        samples = samples == null ? List.of() : List.copyOf(samples);
        createdAt = orEmpty(createdAt, "");
        updatedAt = orEmpty(updatedAt, createdAt);
        languages = languages == null ? List.of() : List.copyOf(languages);
        visibility = orEmpty(visibility, "private");
        author = author == null ? new Author("", "", "") : author;
    }

    @JsonIgnore
    public boolean isTrained() {
        return STATE_TRAINED.equals(state);
    }

    @JsonIgnore
    public boolean isFinal() {
        return STATE_TRAINED.equals(state) || STATE_FAILED.equals(state);
    }

    /** The same model with some tags hidden (VoiceDrop's own job marker tag is not the user's business). */
    public ModelEntity withTags(List<String> newTags) {
        return new ModelEntity(id, type, title, description, coverImage, trainMode, state, newTags, samples,
                createdAt, updatedAt, languages, visibility, lockVisibility, likeCount, markCount, sharedCount,
                taskCount, liked, marked, author);
    }

    /**
     * The same model with every presigned URL cut down to its plain address. Upstream may echo the sample URLs we
     * sent, and a presigned URL is a credential: it must never reach the catalog, the API or a log.
     */
    public ModelEntity withoutSignedUrls() {
        List<SampleEntity> clean = samples.stream()
                .map(s -> new SampleEntity(s.title(), s.text(), s.taskId(), unsigned(s.audio()))).toList();
        return new ModelEntity(id, type, title, description, unsigned(coverImage), trainMode, state, tags, clean,
                createdAt, updatedAt, languages, visibility, lockVisibility, likeCount, markCount, sharedCount,
                taskCount, liked, marked, author);
    }

    static String unsigned(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        String query = url.substring(q).toLowerCase(java.util.Locale.ROOT);
        boolean signed = query.contains("x-amz-signature") || query.contains("x-amz-credential") || query.contains("signature=");
        return signed ? url.substring(0, q) : url;
    }

    private static String orEmpty(String value, String fallback) {
        return value == null ? fallback : value;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Author(@JsonProperty("_id") String id, @JsonProperty("nickname") String nickname,
                         @JsonProperty("avatar") String avatar) {
        public Author {
            id = id == null ? "" : id;
            nickname = nickname == null ? "" : nickname;
            avatar = avatar == null ? "" : avatar;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SampleEntity(@JsonProperty("title") String title, @JsonProperty("text") String text,
                               @JsonProperty("task_id") String taskId, @JsonProperty("audio") String audio) {
        public SampleEntity {
            title = title == null ? "" : title;
            text = text == null ? "" : text;
            taskId = taskId == null ? "" : taskId;
            audio = audio == null ? "" : audio;
        }
    }
}
