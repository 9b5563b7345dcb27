package io.voicedrop.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpStatus;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.ModelChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code PATCH /fish/model/{id}} request (reference section 5), from any of its encodings, with every problem its
 * fields have. Every field is optional; a field that is absent or null is left unchanged:
 * <ul>
 *   <li>{@code application/json}: {@code title}, {@code description}, {@code visibility} strings; {@code tags} an
 *       array of strings or one string (one tag); {@code cover_image} a URL ({@code ""} removes the cover);</li>
 *   <li>{@code application/x-www-form-urlencoded}: the same fields; {@code tags} repeated (also {@code tags[]}), or
 *       one field with comma-joined values;</li>
 *   <li>{@code multipart/form-data} (what every official SDK sends): the same text fields, {@code tags} repeated or
 *       comma-joined (npm {@code fish-audio} joins an array with commas), {@code cover_image} a file part (PNG,
 *       JPEG, WebP or GIF) or a URL field.</li>
 * </ul>
 * The limits are those of a create ({@link CreateModelRequest}): title 1..200 characters, description at most 2,000,
 * at most 20 tags of at most 100 characters, none starting with VoiceDrop's reserved {@code vd-job-}, visibility
 * {@code public}, {@code unlist} or {@code private}. A request that changes nothing is refused (422) rather than
 * sent upstream. Unknown fields are ignored.
 */
record EditModelRequest(ModelChange change, List<FieldProblem> problems) {

    static final String RESERVED_TAG_PREFIX = "vd-job-";

    EditModelRequest {
        problems = List.copyOf(problems);
    }

    static EditModelRequest parse(RequestBody body) {
        String type = body.mediaType();
        Fields f = new Fields();
        if (type.equals("application/json") || type.endsWith("+json")) {
            fromJson(body.bytes(), f);
        } else if (type.equals("application/x-www-form-urlencoded")) {
            Map<String, List<String>> form = QueryParams.parse(new String(body.bytes(), StandardCharsets.UTF_8));
            form.forEach((name, values) -> values.forEach(v -> f.text(name, v)));
        } else if (type.equals("multipart/form-data")) {
            for (Multipart.Part p : Multipart.parse(body.bytes(), body.parameter("boundary"))) {
                if (p.isFile()) {
                    if (p.name().equals("cover_image") && p.data().length > 0) {
                        f.coverFile = p.data();
                    }
                } else {
                    f.text(p.name(), p.text());
                }
            }
        } else {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Send application/json, application/x-www-form-urlencoded or multipart/form-data.");
        }
        return f.validate();
    }

    private static void fromJson(byte[] bytes, Fields f) {
        JsonNode root;
        try {
            root = bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().equals("tags[]") ? "tags" : e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull() || !Fields.KNOWN.contains(name)) {
                continue; // null leaves a field unchanged; unknown fields are ignored, as upstream does
            }
            if (name.equals("tags") && v.isArray()) {
                f.tags = new ArrayList<>();
                for (JsonNode t : v) {
                    if (!t.isTextual()) {
                        f.problem("tags", "tags must be a string or an array of strings");
                        f.tags = null;
                        break;
                    }
                    f.tags.add(t.asText());
                }
            } else if (v.isTextual()) {
                if (name.equals("tags")) {
                    f.tags = new ArrayList<>(List.of(v.asText()));
                } else {
                    f.scalar(name, v.asText());
                }
            } else {
                f.problem(name, name + (name.equals("tags") ? " must be a string or an array of strings"
                        : " must be a string"));
            }
        }
    }

    /** The fields as read, then checked. */
    private static final class Fields {
        static final List<String> KNOWN = List.of("title", "description", "visibility", "tags", "tags[]",
                "cover_image");
        final List<FieldProblem> problems = new ArrayList<>();
        String title;
        String description;
        String visibility;
        String cover;
        List<String> tags;
        byte[] coverFile;
        boolean tagsRepeated;

        void problem(String field, String message) {
            problems.add(new FieldProblem(field, message));
        }

        void scalar(String name, String value) {
            switch (name) {
                case "title" -> title = value;
                case "description" -> description = value;
                case "visibility" -> visibility = value;
                case "cover_image" -> cover = value;
                default -> {
                    // not a field of an edit
                }
            }
        }

        /** A text field of a form: tags may repeat, the rest take their last value. */
        void text(String name, String value) {
            if (name.equals("tags") || name.equals("tags[]")) {
                if (tags == null) {
                    tags = new ArrayList<>();
                } else {
                    tagsRepeated = true;
                }
                tags.add(value);
            } else {
                scalar(name, value);
            }
        }

        EditModelRequest validate() {
            if (title != null) {
                title = title.strip();
                if (title.isEmpty()) {
                    problem("title", "title must not be empty");
                } else if (CreateModelRequest.length(title) > CreateModelRequest.MAX_TITLE) {
                    problem("title", "title must be at most " + CreateModelRequest.MAX_TITLE + " characters");
                }
            }
            if (description != null && CreateModelRequest.length(description) > CreateModelRequest.MAX_DESCRIPTION) {
                problem("description", "description must be at most " + CreateModelRequest.MAX_DESCRIPTION
                        + " characters");
            }
            if (visibility != null) {
                visibility = visibility.strip();
                if (!CreateModelRequest.VISIBILITIES.contains(visibility)) {
                    problem("visibility", "visibility must be one of public, unlist, private");
                }
            }
            List<String> cleanTags = null;
            if (tags != null) {
                List<String> raw = tags.size() == 1 && !tagsRepeated && tags.get(0).contains(",")
                        ? List.of(tags.get(0).split(",")) : tags;
                cleanTags = raw.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
                if (cleanTags.size() > CreateModelRequest.MAX_TAGS) {
                    problem("tags", "at most " + CreateModelRequest.MAX_TAGS + " tags are allowed, got "
                            + cleanTags.size());
                }
                if (cleanTags.stream().anyMatch(t -> CreateModelRequest.length(t) > CreateModelRequest.MAX_TAG)) {
                    problem("tags", "each tag must be at most " + CreateModelRequest.MAX_TAG + " characters");
                }
                if (cleanTags.stream().anyMatch(t -> t.startsWith(RESERVED_TAG_PREFIX))) {
                    problem("tags", "tags must not start with " + RESERVED_TAG_PREFIX + " (reserved for VoiceDrop)");
                }
            }
            if (cover != null) {
                cover = cover.strip();
                String lower = cover.toLowerCase(Locale.ROOT);
                if (!cover.isEmpty() && (cover.length() > CreateModelRequest.MAX_URL
                        || !(lower.startsWith("https://") || lower.startsWith("http://")))) {
                    problem("cover_image", "cover_image must be an http(s) URL, \"\" (no cover) or an image file");
                } else if (coverFile != null) {
                    problem("cover_image", "cover_image was sent both as a file and as a URL; send one");
                }
            }
            ModelChange.CoverFile file = null;
            if (coverFile != null) {
                String ext = CoverImages.extension(coverFile).orElse(null);
                if (ext == null) {
                    problem("cover_image", "cover_image is not a PNG, JPEG, WebP or GIF image");
                } else {
                    file = new ModelChange.CoverFile(coverFile, ext, CoverImages.contentType(ext));
                }
            }
            ModelChange change = new ModelChange(title, description, visibility, cleanTags, cover, file);
            if (change.isEmpty() && problems.isEmpty()) {
                problem("body", "nothing to change: give at least one of title, description, visibility, tags,"
                        + " cover_image");
            }
            return new EditModelRequest(change, problems);
        }
    }
}
