package io.voicedrop.core.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The n-grams that make {@code GET /fish/model?title=} an index lookup instead of a scan.
 *
 * <p>The filter clients see: a model matches when its title, lower-cased ({@link Locale#ROOT}), contains the query,
 * trimmed and lower-cased the same way ({@link #normalize}). This class never changes that rule; it only names, for
 * a title, the keys under which the catalog files it ({@link #of}), and for a query, the keys whose models are
 * a superset of its matches ({@link #windows}). The catalog still applies the rule itself to every candidate.
 *
 * <p>A title is filed under the gram starting at each of its positions: the next {@value #N} code points, fewer at
 * the end. A query of {@value #N} or more code points occurs at some position of a matching title, so each of its
 * {@value #N}-code-point windows is one of the title's grams: any one window's models hold every match. A shorter
 * query is the start of the gram at the position it occurs, so the grams beginning with it hold every match (the
 * catalog reads them as one key range). Grams stop before a lone surrogate, which no DynamoDB string can hold.
 */
public final class TitleGrams {

    /** Gram length in code points: three keeps the number of grams per title at its length and each one selective. */
    public static final int N = 3;

    private TitleGrams() {
    }

    /** The text both sides of the filter compare: lower-cased, and for a query trimmed (see the class comment). */
    public static String normalize(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** The distinct grams a title is filed under, in order of first occurrence. */
    public static Set<String> of(String title) {
        String t = normalize(title);
        Set<String> grams = new LinkedHashSet<>();
        for (int i = 0; i < t.length(); i = t.offsetByCodePoints(i, 1)) {
            String g = gramAt(t, i);
            if (!g.isEmpty()) {
                grams.add(g);
            }
        }
        return grams;
    }

    /**
     * The keys of a normalised query: its distinct {@value #N}-code-point windows (each one's models hold every
     * match), or, for a shorter query, the query itself as a prefix of grams. Empty when no key is usable (a lone
     * surrogate in every window): the caller must then look at every title.
     */
    public static Query windows(String normalizedQuery) {
        String q = normalizedQuery;
        if (q.isEmpty()) {
            return new Query(List.of(), false);
        }
        if (q.codePointCount(0, q.length()) < N) {
            return hasLoneSurrogate(q) ? new Query(List.of(), true) : new Query(List.of(q), true);
        }
        Set<String> windows = new LinkedHashSet<>();
        for (int i = 0; i < q.length(); i = q.offsetByCodePoints(i, 1)) {
            if (q.codePointCount(i, q.length()) < N) {
                break;
            }
            String w = q.substring(i, q.offsetByCodePoints(i, N));
            if (!hasLoneSurrogate(w)) {
                windows.add(w);
            }
        }
        return new Query(List.copyOf(windows), false);
    }

    /**
     * The keys of a query. With {@code prefix} there is one key, to be read as every gram starting with it;
     * otherwise each key is one whole gram.
     */
    public record Query(List<String> keys, boolean prefix) {

        /** Up to {@code max} keys spread over the query, first and last included: the ones worth comparing. */
        public List<String> spread(int max) {
            if (keys.size() <= max) {
                return keys;
            }
            List<String> picked = new ArrayList<>();
            for (int j = 0; j < max; j++) {
                picked.add(keys.get((int) Math.round((double) j * (keys.size() - 1) / (max - 1))));
            }
            return List.copyOf(new LinkedHashSet<>(picked));
        }
    }

    private static String gramAt(String t, int i) {
        int end = i;
        for (int n = 0; n < N && end < t.length(); n++) {
            int cp = t.codePointAt(end);
            if (isLoneSurrogate(cp)) {
                break;
            }
            end += Character.charCount(cp);
        }
        return t.substring(i, end);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isLoneSurrogate(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** {@link String#codePointAt} returns an unpaired surrogate as itself. */
    private static boolean isLoneSurrogate(int cp) {
        return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
    }
}
