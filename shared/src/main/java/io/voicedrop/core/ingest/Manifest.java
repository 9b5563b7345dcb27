package io.voicedrop.core.ingest;

import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import java.util.List;

/**
 * A folder's {@code model.json}, as documented by {@code docs/manifest.schema.json}. A null field was not given
 * (the default applies); {@code samples == null} means "every audio file in the folder", {@code strict == null}
 * the deployment's default ({@link #strictOr}).
 */
public record Manifest(String title, String description, List<String> tags, String visibility, String type,
                       String trainMode, Boolean enhanceAudioQuality, String coverImage, String language,
                       Boolean strict, List<Entry> samples, Boolean generateSample, String callbackUrl,
                       String previewText, boolean removeSamplesWhenTrained) {

    /** One listed sample: a path relative to the folder, and optionally its transcript. */
    public record Entry(String file, String text) {
    }

    public static Manifest empty() {
        return new Manifest(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                false);
    }

    public Manifest {
        tags = tags == null ? null : List.copyOf(tags);
        samples = samples == null ? null : List.copyOf(samples);
    }

    /** Whether the upload is strict: as the manifest says, else the deployment's default. */
    public boolean strictOr(boolean deploymentDefault) {
        return strict == null ? deploymentDefault : strict;
    }

    /** The create request this manifest asks for; the folder name is the title unless the manifest gives one. */
    public ModelSpec spec(String defaultTitle) {
        ModelSpec d = ModelSpec.titled(defaultTitle);
        return new ModelSpec(title == null ? d.title() : title.strip(), description, tags, visibility, type, trainMode,
                enhanceAudioQuality == null ? d.enhanceAudioQuality() : enhanceAudioQuality, coverImage, language,
                generateSample, removeSamplesWhenTrained);
    }

    /** The webhook and spoken preview this manifest asks for. */
    public JobOptions options() {
        return new JobOptions(callbackUrl, previewText);
    }
}
