package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.core.catalog.TitleGrams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The title index's items and what a save or an erase must change in it. Pure functions, like {@link CatalogItems}.
 *
 * <p>Every model of the catalog is in exactly one of two states, recorded on its main item:
 * <ul>
 *   <li><em>posted</em>: one posting per gram of its title ({@link TitleGrams#of}), {@code MODEL#<id> / GRAM#<gram>},
 *       in listing partition {@code GRAM#<first code point of the gram>} with sort key {@code <gram>#<created>#<id>},
 *       holding the lower-cased title ({@code t}) and the model's sort key ({@code k}). A query reads the postings of
 *       one of its grams (a key range: {@code begins_with} the gram) and keeps those whose {@code t} contains it.</li>
 *   <li><em>gramless</em>: a title with more than {@value #MAX_GRAMS} grams, or a save whose postings would not fit
 *       in its transaction: one compact item {@code MODEL#<id> / GRAMLESS} in partition {@value #GRAMLESS} instead,
 *       which every title search reads whole (it stays small: such titles are rare).</li>
 * </ul>
 * Postings are written, rewritten and removed in the same transaction as the main item (the version compare-and-set
 * of {@link CatalogWriter}), so no reader ever sees a model's postings disagree with its title: a search needs no
 * second look at the model to trust them. The main item records {@code grams} (the postings it has),
 * {@code gt} (the lower-cased title they were written for) and {@code gl} (gramless), so the next save or the erase
 * removes exactly those.
 */
public final class TitlePostings {

    public static final String GRAMLESS = "GRAMLESS";
    static final String PREFIX = "GRAM#";
    /** A 60-character title has at most 60 grams; longer ones are rare enough to be scanned. */
    static final int MAX_GRAMS = 60;

    private TitlePostings() {
    }

    /** What a main item says of its model's title index; {@code indexed=false} for items from before it existed. */
    record State(boolean indexed, boolean gramless, Set<String> grams, String title, String sortKey) {

        static final State NONE = new State(false, false, Set.of(), "", "");

        static State of(Map<String, AttributeValue> main) {
            if (main == null || !main.containsKey("gt")) {
                return NONE;
            }
            Set<String> grams = new LinkedHashSet<>();
            if (main.containsKey("grams") && main.get("grams").hasL()) {
                main.get("grams").l().forEach(v -> grams.add(v.s()));
            }
            boolean gramless = main.containsKey("gl") && Boolean.TRUE.equals(main.get("gl").bool());
            AttributeValue sk = main.get("gsi1sk");
            return new State(true, gramless, grams, main.get("gt").s(), sk == null ? "" : sk.s());
        }

        /** The sort keys of the items this state has under the model's key (for an erase). */
        List<String> itemSortKeys() {
            List<String> items = new ArrayList<>();
            grams.forEach(g -> items.add(PREFIX + g));
            if (gramless) {
                items.add(GRAMLESS);
            }
            return items;
        }
    }

    /**
     * The change from one state to a target. {@code puts} and {@code deletes} are items (keys for deletes);
     * {@code target} is the state the main item must record.
     */
    record Change(List<Map<String, AttributeValue>> puts, List<Map<String, AttributeValue>> deletes, State target) {

        int actions() {
            return puts.size() + deletes.size();
        }
    }

    /**
     * The postings change for a model saved with {@code title}/{@code sortKey} and {@code compact} (for the gramless
     * item), within {@code budget} transaction actions; null when even the gramless state does not fit (the writer
     * then first removes old postings in a step of its own, {@link #leavePostings}).
     */
    static Change change(String id, State old, String title, String sortKey, Map<String, AttributeValue> compact,
                         int budget) {
        String t = TitleGrams.normalize(title);
        Set<String> grams = TitleGrams.of(t);
        boolean unchanged = old.indexed() && old.title().equals(t) && old.sortKey().equals(sortKey);
        if (unchanged && !old.gramless()) {
            return new Change(List.of(), List.of(), old);
        }
        if (unchanged) {
            // The gramless item carries the compact fields, which this save may change.
            return new Change(List.of(gramlessItem(id, sortKey, compact)), List.of(), old);
        }
        if (grams.size() <= MAX_GRAMS) {
            List<Map<String, AttributeValue>> puts = new ArrayList<>();
            grams.forEach(g -> puts.add(posting(id, g, sortKey, t)));
            List<Map<String, AttributeValue>> deletes = new ArrayList<>();
            old.grams().stream().filter(g -> !grams.contains(g)).forEach(g -> deletes.add(postingKey(id, g)));
            if (old.gramless()) {
                deletes.add(CatalogItems.key("MODEL#" + id, GRAMLESS));
            }
            if (puts.size() + deletes.size() <= budget) {
                return new Change(puts, deletes, new State(true, false, grams, t, sortKey));
            }
        }
        List<Map<String, AttributeValue>> deletes = new ArrayList<>();
        old.grams().forEach(g -> deletes.add(postingKey(id, g)));
        if (1 + deletes.size() > budget) {
            return null;
        }
        return new Change(List.of(gramlessItem(id, sortKey, compact)), deletes,
                new State(true, true, Set.of(), t, sortKey));
    }

    /**
     * A step before an oversized save: the model becomes gramless under its current title (its old compact fields)
     * and loses up to {@code max} postings; the state the main item must then record. Until the save itself commits,
     * searches still find the model under its old title, through the gramless item and the postings left.
     */
    static Change leavePostings(String id, State old, Map<String, AttributeValue> oldCompact, int max) {
        List<String> leaving = old.grams().stream().limit(Math.max(0, max - 1)).toList();
        Set<String> remaining = new LinkedHashSet<>(old.grams());
        leaving.forEach(remaining::remove);
        List<Map<String, AttributeValue>> deletes = new ArrayList<>();
        leaving.forEach(g -> deletes.add(postingKey(id, g)));
        return new Change(List.of(gramlessItem(id, old.sortKey(), oldCompact)), deletes,
                new State(true, true, remaining, old.title(), old.sortKey()));
    }

    /** Records a state on a main item (the attributes {@link State#of} reads). */
    static void record(Map<String, AttributeValue> main, State s) {
        main.put("gt", AttributeValue.fromS(s.title()));
        main.put("grams", CatalogItems.strings(s.grams()));
        main.put("gl", AttributeValue.fromBool(s.gramless()));
    }

    /** The attribute values {@link #record} sets, for an update expression ({@code SET gt = :gt, ...}). */
    static Map<String, AttributeValue> recordValues(State s) {
        Map<String, AttributeValue> v = new HashMap<>();
        record(v, s);
        Map<String, AttributeValue> out = new HashMap<>();
        v.forEach((k, val) -> out.put(":" + k, val));
        return out;
    }

    /** The listing partition holding the postings of grams that start like {@code key}. */
    static String partition(String key) {
        return PREFIX + key.substring(0, key.offsetByCodePoints(0, 1));
    }

    static Map<String, AttributeValue> posting(String id, String gram, String sortKey, String lowerTitle) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("MODEL#" + id));
        item.put("sk", AttributeValue.fromS(PREFIX + gram));
        item.put("gsi1pk", AttributeValue.fromS(partition(gram)));
        item.put("gsi1sk", AttributeValue.fromS(gram + "#" + sortKey));
        item.put("t", AttributeValue.fromS(lowerTitle));
        item.put("k", AttributeValue.fromS(sortKey));
        return item;
    }

    static Map<String, AttributeValue> postingKey(String id, String gram) {
        return CatalogItems.key("MODEL#" + id, PREFIX + gram);
    }

    static Map<String, AttributeValue> gramlessItem(String id, String sortKey, Map<String, AttributeValue> compact) {
        return CatalogItems.indexItem(id, GRAMLESS, GRAMLESS, sortKey, compact);
    }

    /** The items a new model gets (bulk loading), and the state its main item records. */
    static Change forNewModel(String id, String title, String sortKey, Map<String, AttributeValue> compact) {
        return change(id, State.NONE, title, sortKey, compact, Integer.MAX_VALUE);
    }
}
