package io.voicedrop.core.model;

import java.util.List;

/**
 * What the user asked upstream to create, minus the audio URLs (those are made when the request is sent).
 * Defaults follow the contract's advice to send every optional field explicitly.
 */
public record ModelSpec(String title, String description, List<String> tags, String visibility, String type,
                        String trainMode, boolean enhanceAudioQuality, String coverImage, String language) {

    public static ModelSpec titled(String title) {
        return new ModelSpec(title, "", List.of(), "private", "tts", "fast", true, "", null);
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
