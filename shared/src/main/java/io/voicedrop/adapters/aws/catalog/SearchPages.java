package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.core.model.ModelPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Pages of every query one partition cannot answer exactly ({@code title}, several filters, several languages).
 *
 * <p>A query with a {@code title} is answered from the title index ({@link TitleSearch}): it reads the postings of
 * one gram of the query, about as many items as there are matches, whatever the catalog's size. That needs every
 * model's title indexed, which the {@code ALL} counter item says ({@code g}, models indexed, equals {@code n}); a
 * catalog written before the index existed is scanned as before until every model has been saved again or posted
 * by the backfill ({@link TitleIndexBackfill}, {@code scripts/voicedrop-ops.sh backfill-indexes}). Other
 * queries are a scan, kept affordable: it reads the smallest partition that holds every answer (by counter; the
 * compact {@code SEARCH} partition when no filter narrows it), compact items only. Either reads at most
 * {@code maxScan} items; {@code total} then counts the matches seen and is marked inexact. The first
 * {@code maxResults} matches (sort keys) are kept in a cache item for {@value #TTL_MINUTES} minutes, so the pages
 * after the first cost one cache read plus their {@code BatchGetItem}; only those matches can be paged
 * ({@code max_offset}). New models on top of the followed partition (the source, or {@code SEARCH} for the title
 * index) are merged into a cached search by reading only them; any other change (a model leaving, an edit of what
 * filters see, both counted by the partition's change count) rebuilds it.
 */
public final class SearchPages {

    private static final int TTL_MINUTES = 5;
    static final Duration TTL = Duration.ofMinutes(TTL_MINUTES);
    private static final int WALK_PAGE = 5000;
    private static final String COMPACT_FIELDS = "gsi1sk, t, tl, tg, lg, au, body";

    /** Cache label of searches answered from the title index. */
    private static final String BY_TITLE = "TITLE-INDEX";

    private final CatalogTable table;
    private final TitleSearch titles;
    private final CatalogCache cache;
    private final Clock clock;
    private final int maxScan;
    private final int maxResults;

    public SearchPages(CatalogTable table, CatalogCache cache, Clock clock, int maxScan, int maxResults) {
        this.table = table;
        this.titles = new TitleSearch(table);
        this.cache = cache;
        this.clock = clock;
        this.maxScan = maxScan;
        this.maxResults = maxResults;
    }

    public ModelPage page(QueryPlan plan, long offset, int pageSize) {
        String source = CatalogItems.SEARCH;
        Map<String, AttributeValue> all = table.counterItem(CatalogItems.ALL);
        CatalogTable.Count allCounter = new CatalogTable.Count(CatalogTable.number(all, "n"),
                CatalogTable.number(all, "m"));
        CatalogTable.Count sourceCounter = allCounter;
        // Only when every model's title is indexed (g counts them): a catalog from before the index is scanned.
        boolean byTitle = plan.title() != null && CatalogTable.number(all, "g") >= allCounter.n();
        for (String k : plan.andKeys()) {
            if (!CatalogItems.indexableKey(k)) {
                continue;
            }
            CatalogTable.Count c = table.count(k);
            if (c.n() < sourceCounter.n()) {
                source = k;
                sourceCounter = c;
            }
        }
        long sourceCount = sourceCounter.n();
        long changes = sourceCounter.m();
        if (sourceCount == 0) {
            return new ModelPage(0, List.of());
        }
        // A search built from the title index covers the whole catalog: it follows partition SEARCH (all models).
        String followed = byTitle ? CatalogItems.SEARCH : source;
        long followedCount = byTitle ? allCounter.n() : sourceCount;
        long followedChanges = byTitle ? allCounter.m() : changes;
        String cacheKey = CatalogCache.key("search", plan.shape() + "\u0000s=" + (byTitle ? BY_TITLE : source));
        Instant now = clock.instant();
        Search s = Search.read(cache.read(cacheKey, now), now);
        if (s != null && s.changes() != followedChanges) {
            s = null; // a model left the source or changed what filters see: the matches are found again
        }
        if (s != null && s.count() != followedCount) {
            s = catchUp(s, plan, followed, followedCount);
            if (s != null) {
                cache.write(cacheKey, s.toItem(), TTL);
            }
        }
        if (s == null) {
            s = byTitle ? buildByTitle(plan, source, sourceCount, allCounter, now)
                    : build(plan, source, sourceCount, changes, now);
            cache.write(cacheKey, s.toItem(), TTL);
        }
        boolean windowLimited = s.total() > s.matches().size();
        Long maxOffset = windowLimited ? (long) s.matches().size() : null;
        if (offset >= s.matches().size()) {
            return new ModelPage(s.total(), List.of(), s.complete(), maxOffset);
        }
        List<String> page = s.matches().subList((int) offset, (int) Math.min(s.matches().size(), offset + pageSize));
        return new ModelPage(s.total(), table.models(page), s.complete(), maxOffset);
    }

    /** The cached search with the source's new items on top merged in; null when the source changed otherwise. */
    private Search catchUp(Search s, QueryPlan plan, String source, long sourceCount) {
        List<Map<String, AttributeValue>> newer = compactAbove(source, s.head());
        if (newer.size() != sourceCount - s.count()) {
            return null;
        }
        Set<String> known = new HashSet<>(s.matches());
        List<String> found = newer.stream().filter(plan::matches).map(i -> i.get("gsi1sk").s())
                .filter(k -> !known.contains(k)).toList();
        List<String> kept = new ArrayList<>(found);
        kept.addAll(s.matches());
        long total = s.total() + found.size();
        return new Search(newer.isEmpty() ? s.head() : newer.get(0).get("gsi1sk").s(), sourceCount, total,
                s.complete(), kept.subList(0, Math.min(kept.size(), maxResults)), s.built(), s.changes());
    }

    /**
     * Matches from the title index. The postings read are bounded by the scan bound, and by the filter partition's
     * size when the query has one: past that, scanning the partition is cheaper and is done instead.
     */
    private Search buildByTitle(QueryPlan plan, String source, long sourceCount, CatalogTable.Count all,
                                Instant now) {
        // The newest model first: one created while the index is read is then merged in later, never missed.
        List<Map<String, AttributeValue>> top = newest();
        String head = top.isEmpty() ? "" : top.get(0).get("gsi1sk").s();
        boolean filtered = !CatalogItems.SEARCH.equals(source);
        TitleSearch.Found f = titles.find(plan, filtered ? Math.min(maxScan, sourceCount) : maxScan);
        if (f == null || (filtered && !f.complete())) {
            Search scan = build(plan, source, sourceCount, 0, now);
            return new Search(head, all.n(), scan.total(), scan.complete(), scan.matches(), now, all.m());
        }
        List<String> kept = f.matches().subList(0, Math.min(f.matches().size(), maxResults));
        return new Search(head, all.n(), f.matches().size(), f.complete(), new ArrayList<>(kept), now, all.m());
    }

    private List<Map<String, AttributeValue>> newest() {
        return table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(CatalogItems.SEARCH)))
                .projectionExpression("gsi1sk").limit(1)).items();
    }

    private Search build(QueryPlan plan, String source, long sourceCount, long changes, Instant now) {
        List<String> matches = new ArrayList<>();
        long total = 0;
        long scanned = 0;
        String head = null;
        Map<String, AttributeValue> start = null;
        boolean complete = true;
        do {
            int limit = (int) Math.min(WALK_PAGE, maxScan - scanned);
            if (limit <= 0) {
                complete = false;
                break;
            }
            Map<String, AttributeValue> from = start;
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(source)))
                    .projectionExpression(COMPACT_FIELDS).exclusiveStartKey(from).limit(limit));
            for (Map<String, AttributeValue> item : r.items()) {
                scanned++;
                if (head == null) {
                    head = item.get("gsi1sk").s();
                }
                if (plan.matches(item)) {
                    total++;
                    if (matches.size() < maxResults) {
                        matches.add(item.get("gsi1sk").s());
                    }
                }
            }
            start = CatalogTable.next(r);
        } while (start != null);
        return new Search(head == null ? "" : head, sourceCount, total, complete, matches, now, changes);
    }

    /** Compact items of a partition newer than {@code head}, newest first. */
    private List<Map<String, AttributeValue>> compactAbove(String partition, String head) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p AND gsi1sk > :h")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition),
                            ":h", AttributeValue.fromS(head)))
                    .projectionExpression(COMPACT_FIELDS).exclusiveStartKey(from));
            items.addAll(r.items());
            start = CatalogTable.next(r);
        } while (start != null && items.size() <= maxScan);
        return items;
    }

    /**
     * A cached search: the sort keys of the first matches (newest first), how many matched in all, whether the
     * scan saw the whole source partition, and the source's newest item, counter and change count when it was last
     * updated.
     */
    record Search(String head, long count, long total, boolean complete, List<String> matches, Instant built,
                  long changes) {

        /** Also expires by {@code built}: merging new items keeps the item alive, not the scan it came from. */
        static Search read(Map<String, AttributeValue> item, Instant now) {
            if (item == null) {
                return null;
            }
            try {
                Instant built = Instant.parse(item.get("built").s());
                if (built.plus(TTL).isBefore(now)) {
                    return null;
                }
                return new Search(item.get("head").s(), Long.parseLong(item.get("n0").n()),
                        Long.parseLong(item.get("total").n()), item.get("complete").bool(),
                        CatalogCache.unpack(item.get("d")), built, Long.parseLong(item.get("m0").n()));
            } catch (RuntimeException unreadable) {
                return null;
            }
        }

        Map<String, AttributeValue> toItem() {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("head", AttributeValue.fromS(head));
            item.put("n0", AttributeValue.fromN(Long.toString(count)));
            item.put("total", AttributeValue.fromN(Long.toString(total)));
            item.put("complete", AttributeValue.fromBool(complete));
            item.put("d", CatalogCache.pack(matches));
            item.put("built", AttributeValue.fromS(built.toString()));
            item.put("m0", AttributeValue.fromN(Long.toString(changes)));
            return item;
        }
    }
}
