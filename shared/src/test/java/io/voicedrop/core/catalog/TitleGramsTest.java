package io.voicedrop.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one property the title index rests on: whenever a title matches a query (lower-cased title contains the
 * lower-cased query), the query's keys find the title among its grams; on random titles over an alphabet with
 * case pairs, CJK, emoji (surrogate pairs) and lone surrogates.
 */
class TitleGramsTest {

    private static final String[] ALPHABET = {"a", "B", "c", " ", "#", "İ", "ß", "Σ", "北", "京", "😀", "🎙", "\uD800",
        "\uDC00", "é", "E"};

    @Test
    void everyMatchingTitleIsFoundThroughTheQuerysKeys() {
        Random r = new Random(42);
        int checked = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder title = new StringBuilder();
            int len = r.nextInt(12);
            for (int i = 0; i < len; i++) {
                title.append(ALPHABET[r.nextInt(ALPHABET.length)]);
            }
            String t = TitleGrams.normalize(title.toString());
            if (t.isEmpty()) {
                continue;
            }
            int from = r.nextInt(t.length());
            String q = t.substring(from, from + 1 + r.nextInt(t.length() - from));
            TitleGrams.Query keys = TitleGrams.windows(q);
            if (keys.keys().isEmpty()) {
                assertTrue(hasLoneSurrogate(q), "no key for a query without lone surrogates: " + q);
                continue;
            }
            Set<String> grams = TitleGrams.of(title.toString());
            for (String k : keys.keys()) {
                if (keys.prefix()) {
                    assertTrue(grams.stream().anyMatch(g -> g.startsWith(k)), "'" + q + "' in '" + t + "'");
                } else {
                    assertTrue(grams.contains(k), "window '" + k + "' of '" + q + "' not a gram of '" + t + "'");
                }
            }
            checked++;
        }
        assertTrue(checked > 10_000, "too few cases checked: " + checked);
    }

    @Test
    void gramsAreThreeCodePointsFewerAtTheEndAndDistinct() {
        assertEquals(List.of("abc", "bca", "cab", "ab", "b"), List.copyOf(TitleGrams.of("ABCabcAB")));
        assertEquals(List.of("😀北京", "北京", "京"), List.copyOf(TitleGrams.of("😀北京")));
        assertEquals(List.of(), List.copyOf(TitleGrams.of("")));
        assertEquals(List.of("ab"), TitleGrams.windows("ab").keys());
        assertTrue(TitleGrams.windows("ab").prefix());
        assertFalse(TitleGrams.windows("abcd").prefix());
        assertEquals(List.of("abc", "bcd"), TitleGrams.windows("abcd").keys());
        assertEquals(List.of("abc", "cde", "efg"), new TitleGrams.Query(List.of("abc", "bcd", "cde", "def", "efg"),
                false).spread(3));
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }
}
