package io.voicedrop.core.service;

import io.voicedrop.core.model.ListQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw query parameters of {@code GET /fish/model} into a {@link ListQuery}, or says in one sentence what is
 * wrong (reference section 4.1). Plain Java: the HTTP layer only has to hand over the parameters with every repeat
 * kept, in request order, already percent-decoded.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@code page_size}: whole number 1..100, default 10. {@code page_number}: whole number &gt;= 1, default 1.
 *       Only ASCII digits are accepted (surrounding blanks are ignored): {@code abc}, {@code 1.5}, {@code -1}, an
 *       empty value or a number beyond the range are errors.</li>
 *   <li>{@code title}: at most 200 characters; empty or blank means no filter.</li>
 *   <li>{@code tag}: repeated keys {@code tag=a&tag=b} and the bracket form {@code tag[]=a&tag[]=b} (axios), mixed
 *       freely (their order carries no meaning: every tag must match), duplicates and empty values dropped;
 *       at most 20 tags of at most 100 characters.
 *       A value is one tag as given: {@code tag=a,b} is the single tag {@code "a,b"} (commas are not separators,
 *       as in Fish's own server).</li>
 *   <li>{@code self}: {@code true/false}, {@code 1/0}, also {@code yes/no}, {@code on/off}, {@code t/f},
 *       {@code y/n} in any letter case (what Fish's pydantic-based server accepts); default false.</li>
 *   <li>{@code author_id}: at most 200 characters; empty means none. (The catalog ignores it when
 *       {@code self=true}.)</li>
 *   <li>{@code language}, {@code title_language}: one value or several (repeated or bracket form), like tags;
 *       at most 20 values of at most 100 characters each.</li>
 *   <li>{@code sort_by}: {@code score}, {@code task_count} or {@code created_at}. It is validated and kept in the
 *       query, but the catalog always answers newest first; absent means {@code created_at}.</li>
 *   <li>A single-valued parameter given several times takes its last value (as Fish's FastAPI server does).
 *       Unknown parameters are ignored. Names are case-sensitive.</li>
 * </ul>
 */
public final class ListQueryParser {

    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_TAGS = 20;
    public static final int MAX_VALUE_LENGTH = 100;
    public static final int MAX_ID_LENGTH = 200;
    public static final List<String> SORT_KEYS = List.of("score", "task_count", "created_at");
    public static final String DEFAULT_SORT = "created_at";

    private static final Set<String> TRUE = Set.of("true", "1", "yes", "on", "t", "y");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "off", "f", "n");

    private ListQueryParser() {
    }

    /**
     * @param params raw query parameters: name to every value given for it, in request order
     * @throws InvalidQuery with a message fit to show the caller
     */
    public static ListQuery parse(Map<String, List<String>> params) {
        Map<String, List<String>> p = params == null ? Map.of() : params;
        int pageSize = wholeNumber(last(p, "page_size"), ListQuery.DEFAULT_PAGE_SIZE, 1, ListQuery.MAX_PAGE_SIZE,
                "page_size must be between 1 and " + ListQuery.MAX_PAGE_SIZE);
        int pageNumber = wholeNumber(last(p, "page_number"), 1, 1, Integer.MAX_VALUE,
                "page_number must be a whole number of at least 1");
        String title = text(last(p, "title"), MAX_TITLE_LENGTH,
                "title must be at most " + MAX_TITLE_LENGTH + " characters");
        List<String> tags = values(p, "tag", "tag", "tags");
        boolean self = bool(last(p, "self"), "self must be true or false");
        String authorId = text(last(p, "author_id"), MAX_ID_LENGTH,
                "author_id must be at most " + MAX_ID_LENGTH + " characters");
        List<String> languages = values(p, "language", "language", "language values");
        List<String> titleLanguages = values(p, "title_language", "title_language", "title_language values");
        String sortBy = sortBy(last(p, "sort_by"));
        return new ListQuery(pageSize, pageNumber, title == null || title.isBlank() ? null : title, tags, self,
                authorId == null || authorId.isBlank() ? null : authorId.trim(), languages, titleLanguages, sortBy);
    }

    private static String last(Map<String, List<String>> p, String name) {
        List<String> values = p.get(name);
        if (values == null) {
            return null;
        }
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) != null) {
                return values.get(i);
            }
        }
        return null;
    }

    private static int wholeNumber(String raw, int fallback, int min, int max, String message) {
        if (raw == null) {
            return fallback;
        }
        String v = raw.trim();
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidQuery(message);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw new InvalidQuery(message);
        }
        return (int) n;
    }

    private static String text(String raw, int maxLength, String message) {
        if (raw != null && raw.codePointCount(0, raw.length()) > maxLength) {
            throw new InvalidQuery(message);
        }
        return raw;
    }

    /** Every value of {@code name}, then of {@code name[]}, without blanks and duplicates. */
    private static List<String> values(Map<String, List<String>> p, String name, String label, String plural) {
        List<String> raw = new ArrayList<>();
        for (String key : List.of(name, name + "[]")) {
            List<String> given = p.get(key);
            if (given != null) {
                raw.addAll(given);
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String v : raw) {
            if (v == null || v.isBlank()) {
                continue;
            }
            if (v.codePointCount(0, v.length()) > MAX_VALUE_LENGTH) {
                throw new InvalidQuery("each " + label + " must be at most " + MAX_VALUE_LENGTH + " characters");
            }
            kept.add(v);
        }
        if (kept.size() > MAX_TAGS) {
            throw new InvalidQuery("at most " + MAX_TAGS + " " + plural + " are allowed");
        }
        return List.copyOf(kept);
    }

    private static boolean bool(String raw, String message) {
        if (raw == null) {
            return false;
        }
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw new InvalidQuery(message);
    }

    private static String sortBy(String raw) {
        if (raw == null) {
            return DEFAULT_SORT;
        }
        String v = raw.trim();
        if (!SORT_KEYS.contains(v)) {
            throw new InvalidQuery("sort_by must be one of " + String.join(", ", SORT_KEYS));
        }
        return v;
    }

    /** The query cannot be answered as given; the message says why and is safe to show the caller. */
    public static final class InvalidQuery extends RuntimeException {
        public InvalidQuery(String message) {
            super(message);
        }
    }
}
