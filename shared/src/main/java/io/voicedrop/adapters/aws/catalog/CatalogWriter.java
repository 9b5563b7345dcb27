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
        CatalogEntry stored = CatalogItems.stored(entry);
        ModelEntity m = stored.model();
        Target target = new Target(m.id(), CatalogItems.sortKey(m), Json.write(stored),
                CatalogItems.compact(stored), CatalogItems.filterKeys(stored), m.title());
        for (int attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
            Main old = readMain(m.id());
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
    private static void backOff(int attempt) {
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
     * The main item as read: its version (0 for items written before versions existed), partitions, title index
     * state, and the item itself.
     */
    private record Main(long version, Set<String> keys, TitlePostings.State titles, Map<String, AttributeValue> item) {
    }

    private Main readMain(String id) {
        Map<String, AttributeValue> item = table.get(CatalogItems.modelKey(id), true);
        if (item == null) {
            return null;
        }
        table.counted(item);
        long version = item.containsKey("v") ? Long.parseLong(item.get("v").n()) : 0;
        return new Main(version, CatalogItems.keysOf(item), TitlePostings.State.of(item), item);
    }

    /** Writes one transaction; true when the entry is fully saved, false when another step is needed. */
    private boolean writeStep(Target t, Main old) {
        Set<String> oldKeys = old == null ? Set.of() : old.keys();
        Set<String> removed = new LinkedHashSet<>(oldKeys);
        removed.removeAll(t.keys());
        Set<String> added = new LinkedHashSet<>(t.keys());
        added.removeAll(oldKeys);
        long nextVersion = old == null ? 1 : old.version() + 1;
        int full = 2 + t.keys().size() + removed.size() + (old == null ? 1 : 0) + added.size() + removed.size();
        if (full > MAX_TRANSACTION) {
            table.transact(leavePartitions(t.id(), old, removed, nextVersion));
            return false;
        }
        TitlePostings.State oldTitles = old == null ? TitlePostings.State.NONE : old.titles();
        boolean newlyIndexed = old != null && !oldTitles.indexed();
        TitlePostings.Change titles = TitlePostings.change(t.id(), oldTitles, t.title(), t.sortKey(), t.compact(),
                MAX_TRANSACTION - full - (newlyIndexed ? 1 : 0));
        if (titles == null) {
            // Old postings first; with none, the budget is gone to partitions being left (the arithmetic of full).
            table.transact(old.titles().grams().isEmpty() ? leavePartitions(t.id(), old, removed, nextVersion)
                    : leavePostings(t.id(), old, nextVersion, MAX_TRANSACTION));
            return false;
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(mainPut(t, old, nextVersion, titles.target())).build());
        titles.puts().forEach(item -> actions.add(put(item)));
        titles.deletes().forEach(key -> actions.add(delete(key)));
        if (newlyIndexed) {
            actions.add(titleIndexed());
        }
        actions.add(put(CatalogItems.indexItem(t.id(), CatalogItems.SEARCH, CatalogItems.SEARCH, t.sortKey(),
                t.compact())));
        for (String k : t.keys()) {
            actions.add(put(CatalogItems.indexItem(t.id(), "IDX#" + k, k, t.sortKey(), t.compact())));
        }
        for (String k : removed) {
            actions.add(put(CatalogItems.tombstone(t.id(), k, clock.instant().plus(TOMBSTONE_TTL))));
            actions.add(counterDelta(k, -1));
        }
        for (String k : added) {
            actions.add(counterDelta(k, +1));
        }
        if (old == null) {
            actions.add(newModelCounted());
        }
        table.transact(actions);
        return true;
    }

    /**
     * Step one of a save whose postings cannot change in one transaction: the model turns gramless under its
     * current title and leaves some postings, under the same version condition; the save follows on the next attempt.
     */
    private List<TransactWriteItem> leavePostings(String id, Main old, long nextVersion, int max) {
        Map<String, AttributeValue> oldCompact = CatalogItems.compact(CatalogItems.stored(
                Json.read(old.item().get("body").s(), CatalogEntry.class)));
        TitlePostings.Change step = TitlePostings.leavePostings(id, old.titles(), oldCompact, max - 1);
        Map<String, AttributeValue> values = new HashMap<>(TitlePostings.recordValues(step.target()));
        values.put(":next", AttributeValue.fromN(Long.toString(nextVersion)));
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.modelKey(id))
                .updateExpression("SET gt = :gt, grams = :grams, gl = :gl, #v = :next")
                .conditionExpression(versionCondition(old))
                .expressionAttributeNames(Map.of("#v", "v"))
                .expressionAttributeValues(withVersion(old, values))
                .build()).build());
        step.puts().forEach(item -> actions.add(put(item)));
        step.deletes().forEach(key -> actions.add(delete(key)));
        return actions;
    }

    /** A new model: one more in {@code ALL}, and one more whose title is indexed ({@code g}, see SearchPages). */
    private TransactWriteItem newModelCounted() {
        return counterUpdate(CatalogItems.ALL, "ADD #n :one, #g :one", Map.of("#n", "n", "#g", "g"));
    }

    /** A model saved before the title index existed, indexed now. */
    private TransactWriteItem titleIndexed() {
        return counterUpdate(CatalogItems.ALL, "ADD #g :one", Map.of("#g", "g"));
    }

    private TransactWriteItem counterUpdate(String partition, String expression, Map<String, String> names) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.counterKey(partition)).updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build()).build();
    }

    private TransactWriteItem delete(Map<String, AttributeValue> key) {
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
            actions.add(counterDelta(k, -1));
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
    private static boolean isRace(TransactionCanceledException e) {
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
        return old.version() == 0 ? "attribute_not_exists(#v)" : "#v = :v";
    }

    private static Map<String, AttributeValue> withVersion(Main old, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        if (old.version() != 0) {
            all.put(":v", AttributeValue.fromN(Long.toString(old.version())));
        }
        return all.isEmpty() ? null : all;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build();
    }

    private TransactWriteItem counterDelta(String partition, int delta) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.counterKey(partition))
                .updateExpression("ADD #n :d")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Integer.toString(delta))))
                .build()).build();
    }
}
