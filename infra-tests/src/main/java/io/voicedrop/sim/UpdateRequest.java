package io.voicedrop.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code PATCH /fish/model/{id}} body (contract section 5): every field optional, null means unchanged. JSON and
 * form-urlencoded are read; multipart gets the platform's {@code api_not_implemented}, as its create does.
 */
record UpdateRequest(String title, String description, String visibility, List<String> tags, String coverImage) {

    private static final Set<String> VISIBILITIES = Set.of("public", "unlist", "private");

    static UpdateRequest parse(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            throw new Reply.Rejected(Reply.envelope(400, "api_not_implemented",
                    "multipart/form-data is not supported, send JSON."));
        }
        UpdateRequest r = type.startsWith("application/x-www-form-urlencoded") ? form(body) : json(body);
        if (r.title() != null && r.title().isBlank()) {
            throw CreateRequest.bad("title must not be empty.");
        }
        if (r.visibility() != null && !VISIBILITIES.contains(r.visibility())) {
            throw CreateRequest.bad("visibility must be one of public, unlist, private.");
        }
        return r;
    }

    private static UpdateRequest json(byte[] body) {
        if (body.length == 0) {
            return new UpdateRequest(null, null, null, null, null);
        }
        JsonNode root;
        try {
            root = Reply.JSON.readTree(body);
        } catch (IOException e) {
            throw CreateRequest.bad("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw CreateRequest.bad("The request body must be a JSON object.");
        }
        List<String> tags = null;
        JsonNode t = root.get("tags");
        if (t != null && !t.isNull()) {
            tags = new ArrayList<>();
            if (t.isTextual()) {
                tags.add(t.textValue());
            } else if (t.isArray()) {
                for (JsonNode tag : t) {
                    if (!tag.isTextual()) {
                        throw CreateRequest.bad("tags must be strings.");
                    }
                    tags.add(tag.textValue());
                }
            } else {
                throw CreateRequest.bad("tags must be a string or an array of strings.");
            }
        }
        return new UpdateRequest(text(root, "title"), text(root, "description"), text(root, "visibility"), tags,
                text(root, "cover_image"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw CreateRequest.bad(field + " must be a string.");
        }
        return n.textValue();
    }

    private static UpdateRequest form(byte[] body) {
        String title = null;
        String description = null;
        String visibility = null;
        String cover = null;
        List<String> tags = null;
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (k) {
                case "title" -> title = v;
                case "description" -> description = v;
                case "visibility" -> visibility = v;
                case "cover_image" -> cover = v;
                case "tags", "tags[]" -> {
                    tags = tags == null ? new ArrayList<>() : tags;
                    tags.add(v);
                }
                default -> {
                    // ignored
                }
            }
        }
        return new UpdateRequest(title, description, visibility, tags, cover);
    }
}
