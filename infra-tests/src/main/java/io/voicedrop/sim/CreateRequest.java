package io.voicedrop.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A validated {@code POST /fish/model} body (contract section 3, ADC JSON variant).
 * Validation is deliberately as strict as the contract allows, so a client bug fails here rather
 * than against the paid upstream.
 */
record CreateRequest(
        String title,
        List<String> voices,
        List<String> texts,
        String description,
        String coverImage,
        String visibility,
        List<String> tags,
        JsonNode raw) {

    static final int MAX_VOICES = 20;
    private static final Set<String> VISIBILITIES = Set.of("public", "unlist", "private");

    static CreateRequest parse(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            // ADC only implements the JSON+URL variant; multipart is the official-API shape.
            throw reject(Reply.envelope(400, "api_not_implemented",
                    "multipart/form-data is not supported, send JSON with voice URLs."));
        }
        JsonNode root;
        try {
            root = Reply.JSON.readTree(body);
        } catch (IOException e) {
            throw bad("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw bad("The request body must be a JSON object.");
        }
        String title = optionalString(root, "title");
        if (title == null || title.isBlank()) {
            throw bad("title is required.");
        }
        List<String> voices = stringOrList(root, "voices");
        if (voices == null || voices.isEmpty()) {
            throw bad("voices is required and must contain at least one URL.");
        }
        if (voices.size() > MAX_VOICES) {
            throw bad("voices must contain at most " + MAX_VOICES + " items, got " + voices.size() + ".");
        }
        for (int i = 0; i < voices.size(); i++) {
            if (!isHttpUrl(voices.get(i))) {
                throw bad("voices[" + i + "] is not a valid http(s) URL.");
            }
        }
        List<String> texts = stringOrList(root, "texts");
        if (texts != null && texts.size() != voices.size()) {
            throw bad("texts must have one item per voice: got " + texts.size() + " texts for "
                    + voices.size() + " voices.");
        }
        String visibility = orDefault(optionalString(root, "visibility"), "private");
        if (!VISIBILITIES.contains(visibility)) {
            throw bad("visibility must be one of public, unlist, private.");
        }
        if (!"tts".equals(orDefault(optionalString(root, "type"), "tts"))) {
            throw bad("type must be tts.");
        }
        if (!"fast".equals(orDefault(optionalString(root, "train_mode"), "fast"))) {
            throw bad("train_mode must be fast.");
        }
        optionalBoolean(root, "enhance_audio_quality");
        optionalBoolean(root, "generate_sample");
        optionalString(root, "callback_url");
        List<String> tags = stringOrList(root, "tags");
        return new CreateRequest(title, voices, texts,
                orDefault(optionalString(root, "description"), ""),
                orDefault(optionalString(root, "cover_image"), ""),
                visibility, tags == null ? List.of() : tags, root);
    }

    private static String optionalString(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(field + " must be a string.");
        }
        return n.textValue();
    }

    private static void optionalBoolean(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n != null && !n.isNull() && !n.isBoolean()) {
            throw bad(field + " must be a boolean.");
        }
    }

    /** Note V of the contract: the sources disagree on string vs array, so both are accepted. */
    private static List<String> stringOrList(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw bad(field + " must be a string or an array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw bad(field + "[" + i + "] must be a string.");
            }
            out.add(n.get(i).textValue());
        }
        return out;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    static Reply.Rejected bad(String message) {
        return reject(Reply.badRequest(message));
    }

    private static Reply.Rejected reject(Reply reply) {
        return new Reply.Rejected(reply);
    }
}
