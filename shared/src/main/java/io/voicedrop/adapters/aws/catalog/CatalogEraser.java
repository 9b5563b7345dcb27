package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Erases a model from the catalog.
 *
 * <p>What to remove is read from the model's main item, never from a list kept here: the items it lists
 * ({@code items}, the compact twin and one index item per partition, or whatever kinds later saves record there; and
 * the title index's postings or gramless item, {@link TitlePostings}) and
 * the partitions it is counted in ({@code keys}, plus {@code ALL}). One {@code TransactWriteItems}, conditional on
 * the main item's version like a save, deletes those items, takes the model off every counter (raising each
 * partition's change count, so cached positions and searches are rebuilt) and turns the main item into an erased
 * marker that refuses later saves. A save racing the erase is cancelled whole by one side and retried, so the
 * counters stay exact either way. Last, anything else still under the model's key (index tombstones left by earlier
 * re-saves, items of kinds nobody listed) is deleted one by one; that part holds no counters and is repeated by a
 * later erase if interrupted.
 */
public final class CatalogEraser {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogEraser.class);
    private static final int MAX_TRANSACTION = 100;
    private static final int MAX_ATTEMPTS = 10;
    /** Longer than any worker that might still write the model (a job's invocation lasts minutes). */
    static final Duration ERASED_MARKER_TTL = Duration.ofDays(30);

    private final CatalogTable table;
    private final Clock clock;

    public CatalogEraser(CatalogTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public void erase(String id) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> main = table.get(CatalogItems.modelKey(id), true);
            try {
                if (main == null) {
                    if (!table.putIfAbsent(CatalogItems.erasedMain(id, 1, expiry()))) {
                        continue; // a save came first: erase what it wrote
                    }
                } else if (!CatalogItems.isErased(main)) {
                    List<TransactWriteItem> actions = eraseActions(id, main);
                    TitlePostings.State titles = TitlePostings.State.of(main);
                    if (actions.size() > MAX_TRANSACTION && !titles.grams().isEmpty()) {
                        // Too many postings to delete beside everything else: they go first (see leavePostings).
                        long version = main.containsKey("v") ? Long.parseLong(main.get("v").n()) : 0;
                        table.transact(CatalogWriter.leavePostings(table, id, CatalogItems.compact(CatalogItems
                                .stored(Json.read(main.get("body").s(), CatalogEntry.class))), titles, version,
                                version + 1, MAX_TRANSACTION));
                        continue;
                    }
                    if (actions.size() > MAX_TRANSACTION) {
                        // The index bounds of CatalogItems keep a model far below this; a model over it is a bug.
                        throw new IllegalStateException("model " + id + " has " + actions.size()
                                + " catalog items to erase");
                    }
                    table.transact(actions);
                    LOG.info("catalog entry erased with its index and counter items");
                }
                removeLeftovers(id);
                return;
            } catch (TransactionCanceledException e) {
                if (!CatalogWriter.isRace(e)) {
                    throw e;
                }
                CatalogWriter.backOff(attempt);
            }
        }
        throw new IllegalStateException("catalog entry " + id + " kept changing while it was being erased");
    }

    private List<TransactWriteItem> eraseActions(String id, Map<String, AttributeValue> main) {
        long version = main.containsKey("v") ? Long.parseLong(main.get("v").n()) : 0;
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                .item(CatalogItems.erasedMain(id, version + 1, expiry()))
                .conditionExpression(CatalogWriter.versionCondition(version))
                .expressionAttributeNames(Map.of("#v", "v"))
                .expressionAttributeValues(CatalogWriter.withVersion(version, Map.of())).build()).build());
        TitlePostings.State titles = TitlePostings.State.of(main);
        Set<String> items = new LinkedHashSet<>(CatalogItems.itemsOf(main));
        items.addAll(titles.itemSortKeys());
        for (String sk : items) {
            if (!sk.equals("MODEL")) {
                actions.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                        .key(CatalogItems.key("MODEL#" + id, sk)).build()).build());
            }
        }
        Set<String> keys = CatalogItems.keysOf(main);
        for (String k : keys) {
            actions.add(CatalogWriter.counterDelta(table, k, -1, true));
        }
        if (!keys.contains(CatalogItems.ALL)) {
            actions.add(CatalogWriter.allCounter(table, -1, true, titles.indexed()));
        }
        return actions;
    }

    private void removeLeftovers(String id) {
        for (Map<String, AttributeValue> item : table.modelItems(id)) {
            if (!"MODEL".equals(item.get("sk").s())) {
                table.delete(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
            }
        }
    }

    private java.time.Instant expiry() {
        return clock.instant().plus(ERASED_MARKER_TTL);
    }
}
