package io.voicedrop.core.model;

import java.util.List;

/**
 * What a {@code PATCH /fish/model/{id}} asks to change. Every field is optional: null leaves it as it is (reference
 * section 5). {@code description} or {@code coverImageUrl} {@code ""} clear them; {@code tags} replaces every tag.
 * A cover image comes either as a URL or as a file ({@link CoverFile}), never both.
 */
public record ModelChange(String title, String description, String visibility, List<String> tags,
                          String coverImageUrl, CoverFile coverFile) {

    public ModelChange {
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** True when the request names nothing to change. */
    public boolean isEmpty() {
        return title == null && description == null && visibility == null && tags == null && coverImageUrl == null
                && coverFile == null;
    }

    /** A cover image sent as a file: its bytes, the extension its content was recognised as, its media type. */
    public record CoverFile(byte[] bytes, String extension, String contentType) {
        @Override
        public String toString() {
            return "CoverFile[" + bytes.length + " bytes, " + extension + "]";
        }
    }
}
