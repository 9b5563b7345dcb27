package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Saves a model: main item, index items and partition counters in one {@code TransactWriteItems}.
 *
 * <p>The counters are why this is careful. A model is saved several times (training, then trained; a re-save that
 * changes its tags), possibly by two workers at once, and every counter must stay exact, because it is the
 * {@code total} of a listing. So the counter deltas are computed from the partitions the main item lists
 * ({@code keys}) at the version just read, and the transaction only commits if the main item still has that version
 * (compare-and-set on {@code v}). A save that lost a race is cancelled as a whole, re-reads and recomputes: no delta
 * is ever applied against partitions that changed meanwhile. A retried request (the SDK's, after a lost response)
 * fails its version condition the same way, then finds nothing left to change.
 *
 * <p>DynamoDB allows 100 actions per transaction. A model whose partitions change by more than that is saved in two
 * steps; each one leaves main item, index items and counters consistent with each other.
 */
public final class CatalogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogWriter.class);
    private static final int MAX_TRANSACTION = 100;
    private static final int MAX_SAVE_ATTEMPTS = 10;
    private static final long MAX_BACKOFF_MILLIS = 200;
    /** A tombstone leaves the index at once; TTL only tidies the table (no delete permission), any delay does. */
    private static final Duration TOMBSTONE_TTL = Duration.ofDays(1);

    private final CatalogTable table;
    private final Clock clock;

    public CatalogWriter(CatalogTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public void save(CatalogEntry entry) {
        save(entry, false);
    }

    /**
     * Saves a model upstream has just created: the first transaction goes out as for a model the catalog never had,
     * without reading its main item first. Its condition ({@code attribute_not_exists}) still guards the
     * assumption: if the model is there after all (erased by a racing delete, saved by another writer), the
     * transaction is cancelled whole and the ordinary read-and-write save follows.
     */
    public void saveNew(CatalogEntry entry) {
        save(entry, true);
    }

    private void save(CatalogEntry entry, boolean assumeNew) {
        CatalogEntry stored = CatalogItems.stored(entry);
        ModelEntity m = stored.model();
        Target target = new Target(m.id(), CatalogItems.sortKey(m), Json.write(stored),
                CatalogItems.compact(stored), CatalogItems.filterKeys(stored), m.title());
        for (int attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
            Main old = assumeNew && attempt == 0 ? null : readMain(m.id());
            if (old != null && old.erased()) {
                LOG.info("catalog save of an erased model skipped (a late writer after its delete)");
                return;
            }
            try {
                if (writeStep(target, old)) {
                    return;
                }
            } catch (TransactionCanceledException e) {
                if (!isRace(e)) {
                    throw e;
                }
                LOG.debug("catalog save of {} raced with another save; retrying", m.id());
                backOff(attempt);
            }
        }
        throw new IllegalStateException("catalog entry " + m.id() + " kept changing concurrently");
    }

    /**
     * Savers that lost a race and retry at once tend to collide again (with each other and with the next saver):
     * a random pause, growing with the attempts, spreads them out. At most about a second over all attempts.
     */
    static void backOff(int attempt) {
        long bound = Math.min(MAX_BACKOFF_MILLIS, 5L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving a catalog entry", e);
        }
    }

    /** What the save should leave behind. */
    private record Target(String id, String sortKey, String body, Map<String, AttributeValue> compact,
                          Set<String> keys, String title) {
    }

    /**
     * The main item as read: its version (0 for items written before versions existed), partitions, what filters
     * saw of it ({@code compact}), or that the model was erased; and its title index state.
     */
    private record Main(long version, Set<String> keys, Map<String, AttributeValue> compact, boolean erased,
                        TitlePostings.State titles) {
    }

    private Main readMain(String id) {
        Map<String, AttributeValue> item = table.get(CatalogItems.modelKey(id), true);
        if (item == null) {
            return null;
        }
        table.counted(item);
        long version = item.containsKey("v") ? Long.parseLong(item.get("v").n()) : 0;
        if (CatalogItems.isErased(item)) {
            return new Main(version, Set.of(), Map.of(), true, TitlePostings.State.NONE);
        }
        Map<String, AttributeValue> compact = CatalogItems.compact(
                CatalogItems.stored(Json.read(item.get("body").s(), CatalogEntry.class)));
        return new Main(version, CatalogItems.keysOf(item), compact, false, TitlePostings.State.of(item));
    }

    /** Writes one transaction; true when the entry is fully saved, false when another step is needed. */
    private boolean writeStep(Target t, Main old) {
        Set<String> oldKeys = old == null ? Set.of() : old.keys();
        Set<String> removed = new LinkedHashSet<>(oldKeys);
        removed.removeAll(t.keys());
        Set<String> added = new LinkedHashSet<>(t.keys());
        added.removeAll(oldKeys);
        long nextVersion = old == null ? 1 : old.version() + 1;
        // A changed title, tag list... changes what cached searches and positions of its partitions hold.
        boolean changed = old != null && !old.compact().equals(t.compact());
        Set<String> kept = new LinkedHashSet<>(t.keys());
        kept.retainAll(oldKeys);
        int full = 2 + t.keys().size() + removed.size() + 1 + added.size() + removed.size()
                + (changed ? kept.size() : 0);
        if (full > MAX_TRANSACTION) {
            table.transact(leavePartitions(t.id(), old, removed, nextVersion));
            return false;
        }
        TitlePostings.State oldTitles = old == null ? TitlePostings.State.NONE : old.titles();
        boolean newlyIndexed = old != null && !oldTitles.indexed();
        TitlePostings.Change titles = TitlePostings.change(t.id(), oldTitles, t.title(), t.sortKey(), t.compact(),
                MAX_TRANSACTION - full);
        if (titles == null) {
            // Old postings first; with none, the budget is gone to partitions being left (the arithmetic of full).
            table.transact(oldTitles.grams().isEmpty() ? leavePartitions(t.id(), old, removed, nextVersion)
                    : leavePostings(table, t.id(), old.compact(), oldTitles, old.version(), nextVersion,
                    MAX_TRANSACTION));
            return false;
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(mainPut(t, old, nextVersion, titles.target())).build());
        titles.puts().forEach(item -> actions.add(put(item)));
        titles.deletes().forEach(key -> actions.add(delete(table, key)));
        actions.add(put(CatalogItems.indexItem(t.id(), CatalogItems.SEARCH, CatalogItems.SEARCH, t.sortKey(),
                t.compact())));
        for (String k : t.keys()) {
            actions.add(put(CatalogItems.indexItem(t.id(), "IDX#" + k, k, t.sortKey(), t.compact())));
        }
        for (String k : removed) {
            actions.add(put(CatalogItems.tombstone(t.id(), k, clock.instant().plus(TOMBSTONE_TTL))));
            actions.add(counterDelta(table, k, -1, true));
        }
        for (String k : added) {
            actions.add(counterDelta(table, k, +1, false));
        }
        if (changed) {
            kept.forEach(k -> actions.add(counterDelta(table, k, 0, true)));
        }
        if (old == null) {
            actions.add(allCounter(table, +1, false, true));
        } else if (changed || !removed.isEmpty() || newlyIndexed) {
            actions.add(allCounter(table, 0, changed || !removed.isEmpty(), newlyIndexed));
        }
        table.transact(actions);
        return true;
    }

    /**
     * A step before a save (or an erase) whose postings cannot change in one transaction: the model turns gramless
     * under its current title ({@code compact}: what filters saw of it) and leaves up to {@code max - 2} postings,
     * under the version condition; the save or erase follows on its next attempt. Searches find it throughout.
     */
    static List<TransactWriteItem> leavePostings(CatalogTable table, String id, Map<String, AttributeValue> compact,
                                                 TitlePostings.State titles, long version, long nextVersion,
                                                 int max) {
        TitlePostings.Change step = TitlePostings.leavePostings(id, titles, compact, max - 1);
        Map<String, AttributeValue> values = new HashMap<>(TitlePostings.recordValues(step.target()));
        values.put(":next", AttributeValue.fromN(Long.toString(nextVersion)));
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.modelKey(id))
                .updateExpression("SET gt = :gt, grams = :grams, gl = :gl, #v = :next")
                .conditionExpression(versionCondition(version))
                .expressionAttributeNames(Map.of("#v", "v"))
                .expressionAttributeValues(withVersion(version, values))
                .build()).build());
        step.puts().forEach(item -> actions.add(TransactWriteItem.builder()
                .put(Put.builder().tableName(table.name()).item(item).build()).build()));
        step.deletes().forEach(key -> actions.add(delete(table, key)));
        return actions;
    }

    /**
     * The {@code ALL} counter's change: {@code delta} models, with {@code modified} a change of its members (as
     * {@link #counterDelta}), and with {@code indexed} delta (or one, for a model indexed late) in {@code g}, the
     * models whose title is indexed (see SearchPages). One update: a transaction may touch an item only once.
     */
    static TransactWriteItem allCounter(CatalogTable table, int delta, boolean modified, boolean indexed) {
        StringBuilder expression = new StringBuilder("ADD #n :d");
        Map<String, String> names = new HashMap<>(Map.of("#n", "n"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":d",
                AttributeValue.fromN(Integer.toString(delta))));
        if (modified) {
            expression.append(", #m :one");
            names.put("#m", "m");
        }
        if (indexed) {
            expression.append(", #g :g");
            names.put("#g", "g");
            values.put(":g", AttributeValue.fromN(Integer.toString(delta == 0 ? 1 : delta)));
        }
        if (modified) {
            values.put(":one", AttributeValue.fromN("1"));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.counterKey(CatalogItems.ALL)).updateExpression(expression.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    static TransactWriteItem delete(CatalogTable table, Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(key).build()).build();
    }

    /**
     * Step one of an oversized save: leave some of the removed partitions (tombstone, counter down) and record that
     * in the main item, under the same version condition; the full write follows on the next attempt.
     */
    private List<TransactWriteItem> leavePartitions(String id, Main old, Set<String> removed, long nextVersion) {
        List<String> step = removed.stream().limit((MAX_TRANSACTION - 1) / 2).toList();
        Set<String> remaining = new LinkedHashSet<>(old.keys());
        step.forEach(remaining::remove);
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.modelKey(id))
                .updateExpression("SET #k = :k, #v = :next")
                .conditionExpression(versionCondition(old))
                .expressionAttributeNames(Map.of("#k", "keys", "#v", "v"))
                .expressionAttributeValues(withVersion(old, Map.of(":k", CatalogItems.strings(remaining),
                        ":next", AttributeValue.fromN(Long.toString(nextVersion)))))
                .build()).build());
        for (String k : step) {
            actions.add(put(CatalogItems.tombstone(id, k, clock.instant().plus(TOMBSTONE_TTL))));
            actions.add(counterDelta(table, k, -1, true));
        }
        return actions;
    }

    private Put mainPut(Target t, Main old, long nextVersion, TitlePostings.State titles) {
        Map<String, AttributeValue> item = new HashMap<>(
                CatalogItems.mainItem(t.id(), t.sortKey(), t.body(), nextVersion, t.keys()));
        TitlePostings.record(item, titles);
        Put.Builder main = Put.builder().tableName(table.name()).item(item);
        if (old == null) {
            main.conditionExpression("attribute_not_exists(pk)");
        } else {
            main.conditionExpression(versionCondition(old))
                    .expressionAttributeNames(Map.of("#v", "v"))
                    .expressionAttributeValues(withVersion(old, Map.of()));
        }
        return main.build();
    }

    /** A lost race (our version condition, or DynamoDB's own conflict detection); anything else is a real error. */
    static boolean isRace(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return true;
        }
        for (CancellationReason r : e.cancellationReasons()) {
            String code = r.code();
            if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
                return true;
            }
        }
        return false;
    }

    private static String versionCondition(Main old) {
        return versionCondition(old.version());
    }

    /** The condition that the main item still has the version just read ({@code #v} names {@code v}). */
    static String versionCondition(long version) {
        return version == 0 ? "attribute_not_exists(#v)" : "#v = :v";
    }

    private static Map<String, AttributeValue> withVersion(Main old, Map<String, AttributeValue> values) {
        return withVersion(old.version(), values);
    }

    static Map<String, AttributeValue> withVersion(long version, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        if (version != 0) {
            all.put(":v", AttributeValue.fromN(Long.toString(version)));
        }
        return all.isEmpty() ? null : all;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build();
    }

    /**
     * A counter change: {@code delta} models, and with {@code modified} one more change of the partition's members
     * ({@code m}), which tells the caches that positions or matches they hold may have moved.
     */
    static TransactWriteItem counterDelta(CatalogTable table, String partition, int delta, boolean modified) {
        String expression = modified ? "ADD #n :d, #m :one" : "ADD #n :d";
        Map<String, String> names = modified ? Map.of("#n", "n", "#m", "m") : Map.of("#n", "n");
        Map<String, AttributeValue> values = modified
                ? Map.of(":d", AttributeValue.fromN(Integer.toString(delta)), ":one", AttributeValue.fromN("1"))
                : Map.of(":d", AttributeValue.fromN(Integer.toString(delta)));
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.counterKey(partition)).updateExpression(expression)
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }
}
