package io.voicedrop.core.catalog;

import io.voicedrop.core.model.CatalogEntry;
import java.util.Locale;

/**
 * The language of a model's title, as {@code GET /fish/model?title_language=} filters on it.
 *
 * <p>Where it comes from, first that applies:
 * <ol>
 *   <li>the language the job recorded ({@link CatalogEntry#titleLanguage()}, from the folder manifest's
 *       {@code language}), lower-cased;</li>
 *   <li>otherwise a cheap guess from the title's writing system ({@link #detect}), never a dictionary or a model.</li>
 * </ol>
 *
 * <p>{@link #detect} rules, on the letters of the title (digits, punctuation, spaces and emoji are ignored):
 * <ul>
 *   <li>any Hiragana or Katakana letter: {@code ja} (Japanese titles mix kana with Han ideographs);</li>
 *   <li>else any Hangul letter: {@code ko};</li>
 *   <li>else any Han ideograph: {@code zh};</li>
 *   <li>else the script with the most letters: Latin {@code en}, Cyrillic {@code ru}, Arabic {@code ar},
 *       Greek {@code el}, Hebrew {@code he}, Thai {@code th}, Devanagari {@code hi};</li>
 *   <li>no letter at all, or only letters of other scripts: no title language ({@code ""}); such a model is never
 *       matched by a {@code title_language} filter.</li>
 * </ul>
 * Known limits: every Latin-script title counts as English (a French title is {@code en}), every Cyrillic one as
 * Russian. A manifest {@code language} overrides the guess.
 */
public final class TitleLanguage {

    private TitleLanguage() {
    }

    /** The title language stored for an entry: the recorded one, else the guess; {@code ""} when unknown. */
    public static String of(CatalogEntry entry) {
        String recorded = entry.titleLanguage();
        if (recorded != null && !recorded.isBlank()) {
            return normalize(recorded);
        }
        return detect(entry.model().title());
    }

    /** Language codes compare case-insensitively: they are stored and queried lower-case, trimmed. */
    public static String normalize(String code) {
        return code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
    }

    /** The guess from the writing system; see the class comment. */
    public static String detect(String title) {
        if (title == null || title.isEmpty()) {
            return "";
        }
        int latin = 0;
        int cyrillic = 0;
        int arabic = 0;
        int greek = 0;
        int hebrew = 0;
        int thai = 0;
        int devanagari = 0;
        boolean han = false;
        boolean hangul = false;
        int limit = Math.min(title.length(), 1000);
        for (int i = 0; i < limit; ) {
            int cp = title.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            Character.UnicodeScript script;
            try {
                script = Character.UnicodeScript.of(cp);
            } catch (IllegalArgumentException e) {
                continue;
            }
            switch (script) {
                case HIRAGANA, KATAKANA -> {
                    return "ja";
                }
                case HANGUL -> hangul = true;
                case HAN -> han = true;
                case LATIN -> latin++;
                case CYRILLIC -> cyrillic++;
                case ARABIC -> arabic++;
                case GREEK -> greek++;
                case HEBREW -> hebrew++;
                case THAI -> thai++;
                case DEVANAGARI -> devanagari++;
                default -> {
                    // other scripts do not vote
                }
            }
        }
        if (hangul) {
            return "ko";
        }
        if (han) {
            return "zh";
        }
        String[] codes = {"en", "ru", "ar", "el", "he", "th", "hi"};
        int[] counts = {latin, cyrillic, arabic, greek, hebrew, thai, devanagari};
        int best = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && (best < 0 || counts[i] > counts[best])) {
                best = i;
            }
        }
        return best < 0 ? "" : codes[best];
    }
}
