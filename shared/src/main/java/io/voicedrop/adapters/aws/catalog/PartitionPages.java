package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Pages of a covered query (unfiltered, one tag, one language, an author, one title language): the partition's
 * counter is the total, the page is read straight from the index. Partition {@code ALL} holds whole models; a filter
 * partition holds ids, whose models are then read with one {@code BatchGetItem}. Page 1 reads {@code page_size}
 * items plus the counter.
 *
 * <p>DynamoDB cannot skip to an offset, so a deep page would walk every key above it. Instead, every
 * {@value #CHECKPOINT_EVERY}th position of a partition is remembered in a cache item (checkpoints): a page starts
 * from the nearest checkpoint above it and walks at most {@value #CHECKPOINT_EVERY} keys. The first visit to a depth
 * walks (keys only, on the compact twin partition) from the deepest known checkpoint and records new ones on the way,
 * paid once. Newest-first order means new models arrive on top: checkpoints then only shift by the number of newer
 * items, found with one key-condition query. Any other change (a model inserted below the top, a model leaving the
 * partition) is detected by the counter and the checkpoints are rebuilt lazily. They expire after an hour anyway.
 */
public final class PartitionPages {

    static final int CHECKPOINT_EVERY = 100;
    static final Duration CHECKPOINT_TTL = Duration.ofHours(1);
    private static final int WALK_PAGE = 5000;
    /** Bound on one catch-up read of new items; more than this and the checkpoints are rebuilt instead. */
    private static final int MAX_CATCH_UP = 100_000;

    private final CatalogTable table;
    private final CatalogCache cache;
    private final Clock clock;

    public PartitionPages(CatalogTable table, CatalogCache cache, Clock clock) {
        this.table = table;
        this.cache = cache;
        this.clock = clock;
    }

    public ModelPage page(String partition, long offset, int pageSize) {
        CatalogTable.Count count = table.count(partition);
        long total = count.n();
        if (offset >= total) {
            return new ModelPage(total, List.of());
        }
        String start = null;
        if (offset > 0) {
            start = positionAt(partition, offset, total, count.m());
            if (start == null) {
                return new ModelPage(total, List.of());
            }
        }
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, AttributeValue> startKey = start == null ? null : CatalogItems.startKey(partition, start);
        while (rows.size() < pageSize) {
            Map<String, AttributeValue> from = startKey;
            int want = pageSize - rows.size();
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition)))
                    .exclusiveStartKey(from).limit(want));
            rows.addAll(r.items());
            startKey = CatalogTable.next(r);
            if (startKey == null) {
                break;
            }
        }
        List<ModelEntity> items;
        if (CatalogItems.ALL.equals(partition)) {
            items = rows.stream().filter(i -> i.containsKey("body"))
                    .map(i -> Json.read(i.get("body").s(), CatalogEntry.class).model()).toList();
        } else {
            items = table.models(rows.stream().map(i -> i.get("gsi1sk").s()).toList());
        }
        return new ModelPage(total, items);
    }

    /**
     * The sort key of the item at 1-based position {@code offset} of a partition (the page starts after it); null
     * when the partition has fewer items (the index lags behind a counter).
     */
    private String positionAt(String partition, long offset, long total, long changes) {
        // Partition ALL holds whole models; its compact twin SEARCH has the same models in the same order.
        String walked = CatalogItems.ALL.equals(partition) ? CatalogItems.SEARCH : partition;
        String cacheKey = CatalogCache.key("cursor", partition);
        Checkpoints cp = Checkpoints.read(cache.read(cacheKey, clock.instant()));
        boolean dirty = false;
        if (cp != null && cp.changes() != changes) {
            cp = null; // a model left or changed: positions below it moved, so the marks are rebuilt
        }
        if (cp != null && cp.count() != total) {
            List<String> newer = sortKeysAbove(walked, cp.head());
            if (newer.size() == total - cp.count()) {
                cp = new Checkpoints(newer.isEmpty() ? cp.head() : newer.get(0), total, cp.shift() + newer.size(),
                        cp.marks(), cp.built(), changes);
            } else {
                cp = null;
            }
            dirty = true;
        }
        if (cp == null) {
            List<String> top = walk(walked, null, 1);
            if (top.isEmpty()) {
                return null;
            }
            cp = new Checkpoints(top.get(0), total, 0, new ArrayList<>(), clock.instant(), changes);
            dirty = true;
        }
        long from = 0;
        String fromKey = null;
        for (int j = cp.marks().size() - 1; j >= 0; j--) {
            long pos = cp.shift() + (long) (j + 1) * CHECKPOINT_EVERY;
            if (pos <= offset) {
                from = pos;
                fromKey = cp.marks().get(j);
                break;
            }
        }
        if (from == offset) {
            if (dirty) {
                cache.write(cacheKey, cp.toItem(), CHECKPOINT_TTL);
            }
            return fromKey;
        }
        long position = from;
        String last = fromKey;
        String cursor = fromKey;
        while (position < offset) {
            int want = (int) Math.min(WALK_PAGE, offset - position);
            List<String> keys = walk(walked, cursor, want);
            if (keys.isEmpty()) {
                return null;
            }
            for (String k : keys) {
                position++;
                last = k;
                long markIndex = (position - cp.shift()) / CHECKPOINT_EVERY - 1;
                if (position > cp.shift() && (position - cp.shift()) % CHECKPOINT_EVERY == 0
                        && markIndex == cp.marks().size()) {
                    cp.marks().add(k);
                    dirty = true;
                }
            }
            cursor = last;
            if (keys.size() < want && position < offset) {
                return null;
            }
        }
        if (dirty) {
            cache.write(cacheKey, cp.toItem(), CHECKPOINT_TTL);
        }
        return last;
    }

    /**
     * Cached positions of one partition: {@code marks.get(j)} is the sort key of the item at position
     * {@code shift + (j + 1) * CHECKPOINT_EVERY}; {@code head} was the newest item, {@code count} the counter and
     * {@code changes} the partition's change count when they were last brought up to date.
     */
    record Checkpoints(String head, long count, long shift, List<String> marks, Instant built, long changes) {

        static Checkpoints read(Map<String, AttributeValue> item) {
            if (item == null) {
                return null;
            }
            try {
                return new Checkpoints(item.get("head").s(), Long.parseLong(item.get("n0").n()),
                        Long.parseLong(item.get("shift").n()), new ArrayList<>(CatalogCache.unpack(item.get("d"))),
                        Instant.parse(item.get("built").s()), Long.parseLong(item.get("m0").n()));
            } catch (RuntimeException unreadable) {
                return null; // written by another version: rebuilt like a missing one
            }
        }

        Map<String, AttributeValue> toItem() {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("head", AttributeValue.fromS(head));
            item.put("n0", AttributeValue.fromN(Long.toString(count)));
            item.put("shift", AttributeValue.fromN(Long.toString(shift)));
            item.put("d", CatalogCache.pack(marks));
            item.put("built", AttributeValue.fromS(built.toString()));
            item.put("m0", AttributeValue.fromN(Long.toString(changes)));
            return item;
        }
    }

    /** Sort keys of a partition, newest first, after {@code after} (null: from the top); keys only. */
    private List<String> walk(String partition, String after, int limit) {
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> start = after == null ? null : CatalogItems.startKey(partition, after);
        while (keys.size() < limit) {
            Map<String, AttributeValue> from = start;
            int want = limit - keys.size();
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition)))
                    .projectionExpression("gsi1sk").exclusiveStartKey(from).limit(want));
            r.items().forEach(i -> keys.add(i.get("gsi1sk").s()));
            start = CatalogTable.next(r);
            if (start == null) {
                break;
            }
        }
        return keys;
    }

    /** Sort keys of a partition newer than {@code head}, newest first. */
    private List<String> sortKeysAbove(String partition, String head) {
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p AND gsi1sk > :h")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition),
                            ":h", AttributeValue.fromS(head)))
                    .projectionExpression("gsi1sk").exclusiveStartKey(from));
            r.items().forEach(i -> keys.add(i.get("gsi1sk").s()));
            start = CatalogTable.next(r);
        } while (start != null && keys.size() <= MAX_CATCH_UP);
        return keys;
    }
}
