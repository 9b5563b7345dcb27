package io.voicedrop.core.model;

import java.util.List;
import java.util.Optional;

/**
 * What the user asked upstream to create, minus the audio URLs (those are made when the request is sent).
 * Defaults follow the contract's advice to send every optional field explicitly.
 *
 * <p>{@code coverImage} is a URL the upstream downloads, or {@code s3://<bucket>/<key>} for a cover that came as a
 * file ({@code POST /fish/model} multipart) and was stored with the samples: like them, it is presigned only when the
 * create call is sent, because a presigned URL is a short-lived credential that must not sit in a job record.
 *
 * @param generateSample upstream's {@code generate_sample} (have Fish generate a sample after training); null when
 *                       the user did not say, and then it is not sent (upstream's default applies)
 * @param removeSamplesWhenTrained the upload asked for its samples to be removed from the bucket as soon as the
 *                                 model is trained (manifest and API field {@code remove_samples_when_trained});
 *                                 VoiceDrop's own choice, never sent upstream
 */
public record ModelSpec(String title, String description, List<String> tags, String visibility, String type,
                        String trainMode, boolean enhanceAudioQuality, String coverImage, String language,
                        Boolean generateSample, boolean removeSamplesWhenTrained) {

    public static ModelSpec titled(String title) {
        return new ModelSpec(title, "", List.of(), "private", "tts", "fast", true, "", null, null, false);
    }

    /** The same spec, asking (or not) for the samples to be removed once the model is trained. */
    public ModelSpec withRemoveSamplesWhenTrained(boolean remove) {
        return new ModelSpec(title, description, tags, visibility, type, trainMode, enhanceAudioQuality, coverImage,
                language, generateSample, remove);
    }

    private static final String S3 = "s3://";

    /** The {@code coverImage} value for a cover stored in the deployment's bucket. */
    public static String storedCover(String bucket, String key) {
        return S3 + bucket + "/" + key;
    }

    /** The bucket key of a stored cover in {@code bucket}; empty for a cover given as a URL, or none. */
    public Optional<String> storedCoverKey(String bucket) {
        String prefix = S3 + bucket + "/";
        return coverImage.startsWith(prefix) ? Optional.of(coverImage.substring(prefix.length())) : Optional.empty();
    }

    /** The same spec with another cover image. */
    public ModelSpec withCoverImage(String url) {
        return new ModelSpec(title, description, tags, visibility, type, trainMode, enhanceAudioQuality, url, language,
                generateSample, removeSamplesWhenTrained);
    }

    /** The same spec asking upstream for {@code generate_sample} (null: do not send the field). */
    public ModelSpec withGenerateSample(Boolean value) {
        return new ModelSpec(title, description, tags, visibility, type, trainMode, enhanceAudioQuality, coverImage,
                language, value, removeSamplesWhenTrained);
    }

    public ModelSpec {
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
        visibility = visibility == null ? "private" : visibility;
        type = type == null ? "tts" : type;
        trainMode = trainMode == null ? "fast" : trainMode;
        coverImage = coverImage == null ? "" : coverImage;
    }
}
