package io.voicedrop.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The query of {@code GET /fish/model} (contract section 4.1), parsed and validated. */
record ListQuery(
        int pageSize,
        int pageNumber,
        String title,
        List<String> tags,
        boolean self,
        String authorId,
        List<String> languages) {

    private static final Set<String> SORT_KEYS = Set.of("score", "task_count", "created_at");

    static ListQuery parse(String rawQuery) {
        Map<String, List<String>> params = decode(rawQuery);
        int pageSize = intParam(params, "page_size", 10, 1, 100);
        int pageNumber = intParam(params, "page_number", 1, 1, Integer.MAX_VALUE);
        String sortBy = single(params, "sort_by");
        if (sortBy != null && !SORT_KEYS.contains(sortBy)) {
            throw CreateRequest.bad("sort_by must be one of score, task_count, created_at.");
        }
        String self = single(params, "self");
        if (self != null && !self.equalsIgnoreCase("true") && !self.equalsIgnoreCase("false")) {
            throw CreateRequest.bad("self must be true or false.");
        }
        String title = single(params, "title");
        return new ListQuery(pageSize, pageNumber,
                title == null || title.isEmpty() ? null : title.toLowerCase(Locale.ROOT),
                params.getOrDefault("tag", List.of()),
                Boolean.parseBoolean(self),
                single(params, "author_id"),
                params.getOrDefault("language", List.of()));
    }

    /**
     * Whether {@code m} belongs in this listing for the caller {@code viewerId}.
     * Without {@code self=true} the caller sees public models of everyone plus all of its own
     * (upstream semantics are unconfirmed; this is the least surprising reading).
     */
    boolean matches(SimModel m, String viewerId, FishSimulator.TagMatch tagMatch) {
        boolean own = m.authorId().equals(viewerId);
        if (self ? !own : !(own || "public".equals(m.visibility()))) {
            return false;
        }
        // The contract: author_id is ignored when self=true.
        if (!self && authorId != null && !authorId.equals(m.authorId())) {
            return false;
        }
        if (title != null && !m.title().toLowerCase(Locale.ROOT).contains(title)) {
            return false;
        }
        if (!tags.isEmpty()) {
            boolean ok = tagMatch == FishSimulator.TagMatch.ALL
                    ? m.tags().containsAll(tags)
                    : tags.stream().anyMatch(m.tags()::contains);
            if (!ok) {
                return false;
            }
        }
        return languages.isEmpty() || languages.stream().anyMatch(m.languages()::contains);
    }

    /** Repeated keys collect into lists; axios' {@code tag[]=} spelling folds into {@code tag}. */
    private static Map<String, List<String>> decode(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
            if (key.endsWith("[]")) {
                key = key.substring(0, key.length() - 2);
            }
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String urlDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw CreateRequest.bad("The query string is malformed.");
        }
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw CreateRequest.bad(key + " must be given at most once.");
        }
        return values.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String key, int fallback, int min, int max) {
        String raw = single(params, key);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the shared message
        }
        throw CreateRequest.bad(key + " must be an integer between " + min + " and " + max + ".");
    }
}
