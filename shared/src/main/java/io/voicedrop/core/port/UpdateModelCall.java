package io.voicedrop.core.port;

import java.util.List;

/**
 * Everything one {@code PATCH /fish/model/{id}} sends. A null field is not sent (upstream leaves it unchanged).
 * {@code tags}, when sent, already carries VoiceDrop's marker tag, so the model can still be found by its job.
 * {@code coverImage} is a URL the upstream downloads (presigned when the cover is stored in the bucket).
 */
public record UpdateModelCall(String title, String description, String visibility, List<String> tags,
                              String coverImage) {

    public UpdateModelCall {
        tags = tags == null ? null : List.copyOf(tags);
    }

    @Override
    public String toString() {
        return "UpdateModelCall[title=" + title + ", visibility=" + visibility + ", tags=" + tags + ", cover="
                + (coverImage == null ? "unchanged" : "<url>") + "]";
    }
}
