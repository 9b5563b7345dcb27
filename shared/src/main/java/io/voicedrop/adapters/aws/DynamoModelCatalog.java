package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.catalog.TitleLanguage;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The catalog in one DynamoDB table (adjacency list, partition key {@code pk}, sort key {@code sk}) with one
 * global secondary index {@code gsi1} ({@code gsi1pk} = partition of a listing, {@code gsi1sk} =
 * {@code created_at#id}, so every partition reads newest first).
 *
 * <h2>Items of one model ({@code pk = MODEL#<id>})</h2>
 * <ul>
 *   <li>{@code sk = MODEL}: the main item, the whole {@link CatalogEntry} as JSON ({@code body}), in index partition
 *       {@code ALL}; {@code v} (version, for compare-and-set) and {@code keys} (the filter partitions the model is in
 *       right now).</li>
 *   <li>{@code sk = SEARCH}: a compact twin in partition {@code SEARCH}: only what filters look at ({@code t} title
 *       lower-cased, {@code tl} title language, {@code tg} tags, {@code lg} languages lower-cased, {@code au} author
 *       id). Title search reads these (about 150 bytes) instead of whole models.</li>
 *   <li>{@code sk = IDX#<key>}: one compact item per filter value, in partition {@code <key>}: {@code TAG#<tag>}
 *       (the first 20 tags of at most 100 characters), {@code LANG#<language>} (first 8), {@code AUTHOR#<id>},
 *       {@code TLANG#<title language>} ({@link TitleLanguage}). When a re-save drops a value, its item is
 *       overwritten without index attributes (it leaves the sparse index; {@code expiresAt} lets TTL remove it), so
 *       no delete permission is needed.</li>
 * </ul>
 * A counter item per partition ({@code pk = COUNT#<partition>}, {@code n}) answers {@code total} without counting.
 * A save is one {@code TransactWriteItems}: the main item is written on condition that its version is still the one
 * read, together with the index items and the counter increments/decrements of exactly the partitions the model
 * joins or leaves. Re-saves (training, then trained) and concurrent saves of one model therefore keep every counter
 * exact (a lost race re-reads and recomputes). Models with huge key changes (more than 100 actions) take two
 * transactions, each leaving main item, index items and counters consistent.
 *
 * <h2>Listing ({@link #list})</h2>
 * <ul>
 *   <li><b>One partition, no other condition</b> (unfiltered, one {@code tag}, one {@code language}, an
 *       {@code author_id}, one {@code title_language}): {@code total} is the counter; the page is read from the
 *       index: partition {@code ALL} returns whole models, a filter partition returns ids whose models are then read
 *       with one {@code BatchGetItem}. Page 1 reads {@code page_size} items (plus the counter). A page that starts
 *       deeper than {@value #DIRECT_OFFSET} items starts from a cached cursor: every {@value #CHECKPOINT_EVERY}th
 *       position of the partition is remembered in a cache item, so reaching page N walks at most
 *       {@value #CHECKPOINT_EVERY} items past the nearest checkpoint once cached; the first visit to a depth walks
 *       (keys only) from the deepest known checkpoint and records new ones on the way (paid once). Checkpoints stay
 *       valid while new models arrive on top (they shift by the number of newer items, read with one key-condition
 *       query); any other change rebuilds them lazily. They expire after one hour.</li>
 *   <li><b>Anything else</b> ({@code title}, several filters, several languages): a search. It scans the smallest
 *       partition among the conditions that every answer must be in (by counter; the compact {@code SEARCH}
 *       partition when there is none, e.g. a title alone), at most {@value #MAX_SEARCH_SCAN} compact items, and
 *       keeps the first {@value #MAX_SEARCH_RESULTS} matches (keys only) in a cache item for five minutes, so the
 *       following pages cost one cache read plus their {@code BatchGetItem}. New models on top are added to a
 *       cached search by reading only them. {@code total} counts every match the scan saw; past the scan bound it is
 *       marked inexact ({@code total_is_exact=false}); only the first {@value #MAX_SEARCH_RESULTS} matches can be
 *       paged ({@code window_limited=true}, {@code max_offset}).</li>
 * </ul>
 * Cache items ({@code pk = CACHE#...}) are written with {@code PutItem}; if the role may not, the catalog works the
 * same without caching (logged once). Filter semantics: every {@code tag} must match (case-sensitive); any of several
 * {@code language}s or {@code title_language}s (case-insensitive); {@code title} is a case-insensitive substring;
 * {@code author_id} exact, ignored when {@code self=true}.
 */
public final class DynamoModelCatalog implements ModelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoModelCatalog.class);

    static final String INDEX = "gsi1";
    static final String ALL = "ALL";
    static final String SEARCH = "SEARCH";
    static final int MAX_INDEXED_TAGS = 20;
    static final int MAX_INDEXED_LANGUAGES = 8;
    static final int MAX_INDEXED_VALUE = 100;
    static final int MAX_INDEXED_AUTHOR = 200;
    /** Pages starting at most this deep are read from the top of the partition without the cursor cache. */
    static final int DIRECT_OFFSET = 100;
    /** Distance between two cached cursor positions. */
    static final int CHECKPOINT_EVERY = 100;
    /** Most compact items one search reads when it is built. */
    static final int MAX_SEARCH_SCAN = 100_000;
    /** Most matches one search keeps (and therefore can page through). */
    static final int MAX_SEARCH_RESULTS = 5_000;
    static final Duration SEARCH_TTL = Duration.ofMinutes(5);
    static final Duration CHECKPOINT_TTL = Duration.ofHours(1);
    private static final int MAX_TRANSACTION = 100;
    private static final int MAX_SAVE_ATTEMPTS = 10;
    private static final int WALK_PAGE = 5000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final int maxSearchScan;
    private final int maxSearchResults;
    private volatile boolean batchGetAllowed = true;
    private volatile boolean cacheWritable = true;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();

    public DynamoModelCatalog(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC(), MAX_SEARCH_SCAN, MAX_SEARCH_RESULTS);
    }

    /** With other bounds, for tests. */
    public DynamoModelCatalog(DynamoDbClient dynamo, String table, Clock clock, int maxSearchScan,
                              int maxSearchResults) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.maxSearchScan = maxSearchScan;
        this.maxSearchResults = maxSearchResults;
    }

    /** DynamoDB calls made and items read (queried, scanned or fetched) by this instance so far. */
    public record ReadCost(long calls, long itemsRead) {
        public ReadCost minus(ReadCost before) {
            return new ReadCost(calls - before.calls, itemsRead - before.itemsRead);
        }
    }

    public ReadCost readCost() {
        return new ReadCost(calls.get(), itemsRead.get());
    }

    // ------------------------------------------------------------------------------------------------ save / find

    @Override
    public void save(CatalogEntry entry) {
        ModelEntity m = entry.model();
        String titleLanguage = TitleLanguage.of(entry);
        CatalogEntry stored = new CatalogEntry(m, entry.jobId(), entry.sourceKeys(),
                titleLanguage.isEmpty() ? null : titleLanguage);
        String sortKey = sortKey(m);
        Set<String> target = filterKeys(stored);
        String body = Json.write(stored);
        Map<String, AttributeValue> compact = compact(stored);
        for (int attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
            Main old = readMain(m.id());
            try {
                if (transact(m.id(), sortKey, body, compact, target, old)) {
                    return;
                }
            } catch (TransactionCanceledException e) {
                if (!isRace(e)) {
                    throw e;
                }
                LOG.debug("catalog save of {} raced with another save; retrying", m.id());
            }
        }
        throw new IllegalStateException("catalog entry " + m.id() + " kept changing concurrently");
    }

    /**
     * The items {@link #save} writes for a model that is not in the catalog yet, and the partitions it joins (each
     * of whose counters, and {@code ALL}'s, must go up by one). For bulk loading with {@code BatchWriteItem}, e.g.
     * the benchmark; normal saves use {@link #save}.
     */
    public static BulkItems bulkItems(CatalogEntry entry) {
        ModelEntity m = entry.model();
        String titleLanguage = TitleLanguage.of(entry);
        CatalogEntry stored = new CatalogEntry(m, entry.jobId(), entry.sourceKeys(),
                titleLanguage.isEmpty() ? null : titleLanguage);
        String sortKey = sortKey(m);
        Set<String> target = filterKeys(stored);
        Map<String, AttributeValue> compact = compact(stored);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> main = new HashMap<>();
        main.put("pk", AttributeValue.fromS("MODEL#" + m.id()));
        main.put("sk", AttributeValue.fromS("MODEL"));
        main.put("gsi1pk", AttributeValue.fromS(ALL));
        main.put("gsi1sk", AttributeValue.fromS(sortKey));
        main.put("body", AttributeValue.fromS(Json.write(stored)));
        main.put("v", AttributeValue.fromN("1"));
        main.put("keys", strings(target));
        items.add(main);
        items.add(indexItem(m.id(), "SEARCH", SEARCH, sortKey, compact));
        for (String k : target) {
            items.add(indexItem(m.id(), "IDX#" + k, k, sortKey, compact));
        }
        List<String> partitions = new ArrayList<>(target);
        partitions.add(ALL);
        return new BulkItems(items, partitions);
    }

    /** See {@link #bulkItems}. */
    public record BulkItems(List<Map<String, AttributeValue>> items, List<String> partitions) {
    }

    /** The counter item of a partition holding {@code n} models (for bulk loading). */
    public static Map<String, AttributeValue> counterItem(String partition, long n) {
        return Map.of("pk", AttributeValue.fromS("COUNT#" + partition), "sk", AttributeValue.fromS("COUNT"),
                "n", AttributeValue.fromN(Long.toString(n)));
    }

    /** Writes one step; true when the entry is fully saved, false when another step is needed. */
    private boolean transact(String id, String sortKey, String body, Map<String, AttributeValue> compact,
                             Set<String> target, Main old) {
        Set<String> oldKeys = old == null ? Set.of() : old.keys();
        Set<String> removed = new LinkedHashSet<>(oldKeys);
        removed.removeAll(target);
        Set<String> added = new LinkedHashSet<>(target);
        added.removeAll(oldKeys);
        long nextVersion = old == null ? 1 : old.version() + 1;
        List<TransactWriteItem> actions = new ArrayList<>();
        int full = 2 + target.size() + removed.size() + (old == null ? 1 : 0) + added.size() + removed.size();
        if (full > MAX_TRANSACTION) {
            // Step 1: leave the removed partitions only (main item keeps the rest), then come back for the full write.
            List<String> step = removed.stream().limit((MAX_TRANSACTION - 1) / 2).toList();
            Set<String> remaining = new LinkedHashSet<>(oldKeys);
            step.forEach(remaining::remove);
            actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(key("MODEL#" + id, "MODEL"))
                    .updateExpression("SET #k = :k, #v = :next")
                    .conditionExpression(versionCondition(old))
                    .expressionAttributeNames(Map.of("#k", "keys", "#v", "v"))
                    .expressionAttributeValues(withVersion(old, Map.of(":k", strings(remaining),
                            ":next", AttributeValue.fromN(Long.toString(nextVersion)))))
                    .build()).build());
            for (String k : step) {
                actions.add(put(tombstone(id, k)));
                actions.add(counterDelta(k, -1));
            }
            write(actions);
            return false;
        }
        Map<String, AttributeValue> main = new HashMap<>();
        main.put("pk", AttributeValue.fromS("MODEL#" + id));
        main.put("sk", AttributeValue.fromS("MODEL"));
        main.put("gsi1pk", AttributeValue.fromS(ALL));
        main.put("gsi1sk", AttributeValue.fromS(sortKey));
        main.put("body", AttributeValue.fromS(body));
        main.put("v", AttributeValue.fromN(Long.toString(nextVersion)));
        main.put("keys", strings(target));
        Put.Builder mainPut = Put.builder().tableName(table).item(main);
        if (old == null) {
            mainPut.conditionExpression("attribute_not_exists(pk)");
        } else {
            mainPut.conditionExpression(versionCondition(old))
                    .expressionAttributeNames(Map.of("#v", "v"))
                    .expressionAttributeValues(withVersion(old, Map.of()));
        }
        actions.add(TransactWriteItem.builder().put(mainPut.build()).build());
        actions.add(put(indexItem(id, "SEARCH", SEARCH, sortKey, compact)));
        for (String k : target) {
            actions.add(put(indexItem(id, "IDX#" + k, k, sortKey, compact)));
        }
        for (String k : removed) {
            actions.add(put(tombstone(id, k)));
            actions.add(counterDelta(k, -1));
        }
        for (String k : added) {
            actions.add(counterDelta(k, +1));
        }
        if (old == null) {
            actions.add(counterDelta(ALL, +1));
        }
        write(actions);
        return true;
    }

    private void write(List<TransactWriteItem> actions) {
        calls.incrementAndGet();
        dynamo.transactWriteItems(b -> b.transactItems(actions));
    }

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
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
    }

    private TransactWriteItem counterDelta(String partition, int delta) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key("COUNT#" + partition, "COUNT"))
                .updateExpression("ADD #n :d")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Integer.toString(delta))))
                .build()).build();
    }

    private static Map<String, AttributeValue> indexItem(String id, String sk, String partition, String sortKey,
                                                        Map<String, AttributeValue> compact) {
        Map<String, AttributeValue> item = new HashMap<>(compact);
        item.put("pk", AttributeValue.fromS("MODEL#" + id));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("gsi1pk", AttributeValue.fromS(partition));
        item.put("gsi1sk", AttributeValue.fromS(sortKey));
        return item;
    }

    private Map<String, AttributeValue> tombstone(String id, String partition) {
        return Map.of("pk", AttributeValue.fromS("MODEL#" + id), "sk", AttributeValue.fromS("IDX#" + partition),
                "expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(Duration.ofDays(1)).getEpochSecond())));
    }

    /** What the main item says now: its version (0 for items written before versions existed) and partitions. */
    private record Main(long version, Set<String> keys) {
    }

    private Main readMain(String id) {
        calls.incrementAndGet();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key("MODEL#" + id, "MODEL"))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        itemsRead.incrementAndGet();
        long version = item.containsKey("v") ? Long.parseLong(item.get("v").n()) : 0;
        Set<String> keys;
        if (item.containsKey("keys") && item.get("keys").hasL()) {
            keys = new LinkedHashSet<>();
            item.get("keys").l().forEach(v -> keys.add(v.s()));
        } else {
            // Written by the first catalog version: it indexed exactly these values.
            keys = filterKeys(Json.read(item.get("body").s(), CatalogEntry.class));
        }
        return new Main(version, keys);
    }

    static String sortKey(ModelEntity m) {
        return m.createdAt() + "#" + m.id();
    }

    /** The filter partitions a model belongs to (see the class comment for the bounds). */
    static Set<String> filterKeys(CatalogEntry entry) {
        Set<String> keys = new LinkedHashSet<>();
        entry.model().tags().stream().filter(DynamoModelCatalog::indexable).distinct().limit(MAX_INDEXED_TAGS)
                .forEach(t -> keys.add("TAG#" + t));
        entry.model().languages().stream().map(TitleLanguage::normalize).filter(DynamoModelCatalog::indexable)
                .distinct().limit(MAX_INDEXED_LANGUAGES).forEach(l -> keys.add("LANG#" + l));
        String author = entry.model().author().id();
        if (!author.isEmpty() && author.length() <= MAX_INDEXED_AUTHOR) {
            keys.add("AUTHOR#" + author);
        }
        String tl = TitleLanguage.normalize(entry.titleLanguage());
        if (indexable(tl)) {
            keys.add("TLANG#" + tl);
        }
        return keys;
    }

    private static boolean indexable(String value) {
        return value != null && !value.isBlank() && value.codePointCount(0, value.length()) <= MAX_INDEXED_VALUE;
    }

    static Map<String, AttributeValue> compact(CatalogEntry entry) {
        ModelEntity m = entry.model();
        Map<String, AttributeValue> c = new HashMap<>();
        c.put("t", AttributeValue.fromS(lower(m.title())));
        c.put("tl", AttributeValue.fromS(TitleLanguage.normalize(entry.titleLanguage())));
        c.put("tg", AttributeValue.fromL(m.tags().stream().map(AttributeValue::fromS).toList()));
        c.put("lg", AttributeValue.fromL(m.languages().stream().map(TitleLanguage::normalize)
                .map(AttributeValue::fromS).toList()));
        c.put("au", AttributeValue.fromS(m.author().id()));
        return c;
    }

    @Override
    public Optional<CatalogEntry> find(String modelId) {
        calls.incrementAndGet();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key("MODEL#" + modelId, "MODEL"))).item();
        if (item == null || item.isEmpty() || !item.containsKey("body")) {
            return Optional.empty();
        }
        itemsRead.incrementAndGet();
        return Optional.of(Json.read(item.get("body").s(), CatalogEntry.class));
    }

    // ------------------------------------------------------------------------------------------------ list

    @Override
    public ModelPage list(ListQuery query) {
        Plan plan = Plan.of(query);
        long offset = (long) (query.pageNumber() - 1) * query.pageSize();
        return plan.covered() ? listPartition(plan.andKeys().isEmpty() ? ALL : plan.andKeys().get(0), offset,
                query.pageSize()) : search(plan, offset, query.pageSize());
    }

    /** How a query maps onto the index. {@code andKeys}: partitions every answer is in. */
    record Plan(List<String> andKeys, String title, List<String> tags, List<String> languages, String author,
                List<String> titleLanguages) {

        static Plan of(ListQuery q) {
            String title = q.title() == null || q.title().isBlank() ? null : lower(q.title().strip());
            List<String> tags = q.tags().stream().distinct().sorted().toList();
            List<String> languages = q.languages().stream().map(TitleLanguage::normalize).filter(s -> !s.isEmpty())
                    .distinct().sorted().toList();
            List<String> titleLanguages = q.titleLanguages().stream().map(TitleLanguage::normalize)
                    .filter(s -> !s.isEmpty()).distinct().sorted().toList();
            String author = q.self() || q.authorId() == null || q.authorId().isBlank() ? null : q.authorId().strip();
            List<String> keys = new ArrayList<>();
            tags.forEach(t -> keys.add("TAG#" + t));
            if (languages.size() == 1) {
                keys.add("LANG#" + languages.get(0));
            }
            if (author != null) {
                keys.add("AUTHOR#" + author);
            }
            if (titleLanguages.size() == 1) {
                keys.add("TLANG#" + titleLanguages.get(0));
            }
            return new Plan(List.copyOf(keys), title, tags, languages, author, titleLanguages);
        }

        /** One partition holds exactly the answers (no further check per item). */
        boolean covered() {
            return andKeys.size() <= 1 && title == null && languages.size() <= 1 && titleLanguages.size() <= 1
                    && andKeys.stream().allMatch(DynamoModelCatalog::indexableKey);
        }

        /** Identity of the query without paging, for the search cache. */
        String shape() {
            return "t=" + (title == null ? "" : title) + "\u0000g=" + String.join("\u0001", tags) + "\u0000l="
                    + String.join("\u0001", languages) + "\u0000a=" + (author == null ? "" : author) + "\u0000tl="
                    + String.join("\u0001", titleLanguages);
        }

        boolean matches(Map<String, AttributeValue> item) {
            Compact c = Compact.of(item);
            if (title != null && !c.title().contains(title)) {
                return false;
            }
            if (!c.tags().containsAll(tags)) {
                return false;
            }
            if (!languages.isEmpty() && languages.stream().noneMatch(c.languages()::contains)) {
                return false;
            }
            if (author != null && !author.equals(c.author())) {
                return false;
            }
            return titleLanguages.isEmpty() || titleLanguages.contains(c.titleLanguage());
        }
    }

    /** A partition key that {@link #filterKeys} could have written (longer values are never indexed). */
    private static boolean indexableKey(String key) {
        String value = key.substring(key.indexOf('#') + 1);
        return key.startsWith("AUTHOR#") ? value.length() <= MAX_INDEXED_AUTHOR : indexable(value);
    }

    /** The filter fields of an index item (or, for items of the first catalog version, of its body). */
    record Compact(String title, String titleLanguage, Set<String> tags, Set<String> languages, String author) {
        static Compact of(Map<String, AttributeValue> item) {
            if (!item.containsKey("t") && item.containsKey("body")) {
                CatalogEntry e = Json.read(item.get("body").s(), CatalogEntry.class);
                return new Compact(lower(e.model().title()), TitleLanguage.normalize(e.titleLanguage()),
                        Set.copyOf(e.model().tags()), Set.copyOf(e.model().languages().stream()
                        .map(TitleLanguage::normalize).toList()), e.model().author().id());
            }
            return new Compact(s(item, "t"), s(item, "tl"), list(item, "tg"), list(item, "lg"), s(item, "au"));
        }

        private static String s(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            return v == null || v.s() == null ? "" : v.s();
        }

        private static Set<String> list(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            if (v == null || !v.hasL()) {
                return Set.of();
            }
            Set<String> out = new LinkedHashSet<>();
            v.l().forEach(x -> out.add(x.s()));
            return out;
        }
    }

    /** A covered query: the counter is the total, the page comes straight from the partition. */
    private ModelPage listPartition(String partition, long offset, int pageSize) {
        long total = counter(partition);
        if (offset >= total) {
            return new ModelPage(total, List.of());
        }
        String start = null;
        if (offset > 0) {
            start = positionAt(partition, offset, total);
            if (start == null) {
                return new ModelPage(total, List.of());
            }
        }
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, AttributeValue> startKey = start == null ? null : startKey(partition, start);
        while (rows.size() < pageSize) {
            QueryResponse r = query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition)))
                    .scanIndexForward(false).exclusiveStartKey(startKey).limit(pageSize - rows.size()).build());
            rows.addAll(r.items());
            startKey = next(r);
            if (startKey == null) {
                break;
            }
        }
        List<ModelEntity> items;
        if (ALL.equals(partition)) {
            items = rows.stream().filter(i -> i.containsKey("body"))
                    .map(i -> Json.read(i.get("body").s(), CatalogEntry.class).model()).toList();
        } else {
            items = models(rows.stream().map(i -> i.get("gsi1sk").s()).toList());
        }
        return new ModelPage(total, items);
    }

    /**
     * The sort key of the item at 1-based position {@code offset} of a partition (the page starts after it), from the
     * cursor cache where possible; null when the partition has fewer items (the index lags behind a counter).
     */
    private String positionAt(String partition, long offset, long total) {
        String walked = ALL.equals(partition) ? SEARCH : partition; // same models, same order, smaller items
        String cacheKey = "CACHE#cursor#" + digest(partition);
        Checkpoints cp = Checkpoints.read(getCache(cacheKey), clock.instant());
        boolean dirty = false;
        if (cp != null && cp.count() != total) {
            List<String> newer = sortKeysAbove(walked, cp.head());
            if (newer.size() == total - cp.count()) {
                cp = new Checkpoints(newer.isEmpty() ? cp.head() : newer.get(0), total, cp.shift() + newer.size(),
                        cp.marks(), cp.built());
            } else {
                cp = null; // models were added below the newest one, or left the partition: rebuild lazily
            }
            dirty = true;
        }
        if (cp == null) {
            List<String> top = walk(walked, null, 1);
            if (top.isEmpty()) {
                return null;
            }
            cp = new Checkpoints(top.get(0), total, 0, new ArrayList<>(), clock.instant());
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
                putCache(cacheKey, cp.toItem(), CHECKPOINT_TTL);
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
            if (keys.size() < want) {
                if (position < offset) {
                    return null;
                }
            }
        }
        if (dirty) {
            putCache(cacheKey, cp.toItem(), CHECKPOINT_TTL);
        }
        return last;
    }

    /**
     * Cached cursor positions of one partition: {@code marks.get(j)} is the sort key of the item at position
     * {@code shift + (j + 1) * CHECKPOINT_EVERY}; {@code head} was the newest item and {@code count} the counter
     * when they were last brought up to date.
     */
    record Checkpoints(String head, long count, long shift, List<String> marks, Instant built) {

        static Checkpoints read(Map<String, AttributeValue> item, Instant now) {
            if (item == null || expired(item, now)) {
                return null;
            }
            try {
                return new Checkpoints(item.get("head").s(), Long.parseLong(item.get("n0").n()),
                        Long.parseLong(item.get("shift").n()), new ArrayList<>(unpack(item.get("d"))),
                        Instant.parse(item.get("built").s()));
            } catch (RuntimeException e) {
                return null;
            }
        }

        Map<String, AttributeValue> toItem() {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("head", AttributeValue.fromS(head));
            item.put("n0", AttributeValue.fromN(Long.toString(count)));
            item.put("shift", AttributeValue.fromN(Long.toString(shift)));
            item.put("d", pack(marks));
            item.put("built", AttributeValue.fromS(built.toString()));
            return item;
        }
    }

    /** Sort keys of a partition, newest first, after {@code after} (null: from the top); keys only. */
    private List<String> walk(String partition, String after, int limit) {
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> start = after == null ? null : startKey(partition, after);
        while (keys.size() < limit) {
            QueryResponse r = query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition)))
                    .projectionExpression("gsi1sk")
                    .scanIndexForward(false).exclusiveStartKey(start).limit(limit - keys.size()).build());
            r.items().forEach(i -> keys.add(i.get("gsi1sk").s()));
            start = next(r);
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
            QueryResponse r = query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p AND gsi1sk > :h")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition),
                            ":h", AttributeValue.fromS(head)))
                    .projectionExpression("gsi1sk").scanIndexForward(false).exclusiveStartKey(start).build());
            r.items().forEach(i -> keys.add(i.get("gsi1sk").s()));
            start = next(r);
        } while (start != null && keys.size() <= MAX_SEARCH_SCAN);
        return keys;
    }

    /** Every other query: scan the smallest partition that holds all answers, keep the matches for a while. */
    private ModelPage search(Plan plan, long offset, int pageSize) {
        String source = SEARCH;
        long sourceCount = counter(ALL);
        for (String k : plan.andKeys()) {
            if (!indexableKey(k)) {
                continue;
            }
            long n = counter(k);
            if (n < sourceCount) {
                source = k;
                sourceCount = n;
            }
        }
        if (sourceCount == 0) {
            return new ModelPage(0, List.of());
        }
        String cacheKey = "CACHE#search#" + digest(plan.shape() + "\u0000s=" + source);
        Instant now = clock.instant();
        Search s = Search.read(getCache(cacheKey), now, SEARCH_TTL);
        if (s != null && s.count() != sourceCount) {
            List<Map<String, AttributeValue>> newer = compactAbove(source, s.head());
            if (newer.size() == sourceCount - s.count()) {
                List<String> found = newer.stream().filter(plan::matches).map(i -> i.get("gsi1sk").s()).toList();
                List<String> kept = new ArrayList<>(found);
                kept.addAll(s.matches());
                long total = s.total() + found.size();
                s = new Search(newer.isEmpty() ? s.head() : newer.get(0).get("gsi1sk").s(), sourceCount, total,
                        s.complete(), kept.subList(0, Math.min(kept.size(), maxSearchResults)), s.built());
                putCache(cacheKey, s.toItem(), SEARCH_TTL);
            } else {
                s = null;
            }
        }
        if (s == null) {
            s = buildSearch(plan, source, sourceCount, now);
            putCache(cacheKey, s.toItem(), SEARCH_TTL);
        }
        boolean windowLimited = s.total() > s.matches().size();
        Long maxOffset = windowLimited ? (long) s.matches().size() : null;
        if (offset >= s.matches().size()) {
            return new ModelPage(s.total(), List.of(), s.complete(), maxOffset);
        }
        List<String> page = s.matches().subList((int) offset, (int) Math.min(s.matches().size(), offset + pageSize));
        return new ModelPage(s.total(), models(page), s.complete(), maxOffset);
    }

    private Search buildSearch(Plan plan, String source, long sourceCount, Instant now) {
        List<String> matches = new ArrayList<>();
        long total = 0;
        long scanned = 0;
        String head = null;
        Map<String, AttributeValue> start = null;
        boolean complete = true;
        do {
            int limit = (int) Math.min(WALK_PAGE, maxSearchScan - scanned);
            if (limit <= 0) {
                complete = false;
                break;
            }
            QueryResponse r = query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(source)))
                    .projectionExpression("gsi1sk, t, tl, tg, lg, au, body")
                    .scanIndexForward(false).exclusiveStartKey(start).limit(limit).build());
            for (Map<String, AttributeValue> item : r.items()) {
                scanned++;
                if (head == null) {
                    head = item.get("gsi1sk").s();
                }
                if (plan.matches(item)) {
                    total++;
                    if (matches.size() < maxSearchResults) {
                        matches.add(item.get("gsi1sk").s());
                    }
                }
            }
            start = next(r);
        } while (start != null);
        return new Search(head == null ? "" : head, sourceCount, total, complete, matches, now);
    }

    /** Compact items of a partition newer than {@code head}, newest first. */
    private List<Map<String, AttributeValue>> compactAbove(String partition, String head) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p AND gsi1sk > :h")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition),
                            ":h", AttributeValue.fromS(head)))
                    .projectionExpression("gsi1sk, t, tl, tg, lg, au, body")
                    .scanIndexForward(false).exclusiveStartKey(start).build());
            items.addAll(r.items());
            start = next(r);
        } while (start != null && items.size() <= maxSearchScan);
        return items;
    }

    /**
     * A cached search: the sort keys of the first matches (newest first), how many matched in all, whether the
     * scan saw the whole source partition, and the partition's newest item and counter when it was last updated.
     */
    record Search(String head, long count, long total, boolean complete, List<String> matches, Instant built) {

        static Search read(Map<String, AttributeValue> item, Instant now, Duration ttl) {
            if (item == null || expired(item, now)) {
                return null;
            }
            try {
                Instant built = Instant.parse(item.get("built").s());
                if (built.plus(ttl).isBefore(now)) {
                    return null;
                }
                return new Search(item.get("head").s(), Long.parseLong(item.get("n0").n()),
                        Long.parseLong(item.get("total").n()), item.get("complete").bool(), unpack(item.get("d")),
                        built);
            } catch (RuntimeException e) {
                return null;
            }
        }

        Map<String, AttributeValue> toItem() {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("head", AttributeValue.fromS(head));
            item.put("n0", AttributeValue.fromN(Long.toString(count)));
            item.put("total", AttributeValue.fromN(Long.toString(total)));
            item.put("complete", AttributeValue.fromBool(complete));
            item.put("d", pack(matches));
            item.put("built", AttributeValue.fromS(built.toString()));
            return item;
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The models of these sort keys, in this order (one BatchGetItem per 100); keys without a model are skipped. */
    private List<ModelEntity> models(List<String> sortKeys) {
        List<String> ids = sortKeys.stream().map(DynamoModelCatalog::idOf).toList();
        Map<String, ModelEntity> found = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 100) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 100));
            if (batchGetAllowed) {
                try {
                    batchGet(chunk, found);
                    continue;
                } catch (DynamoDbException e) {
                    if (!isAccessDenied(e)) {
                        throw e;
                    }
                    batchGetAllowed = false;
                    LOG.warn("dynamodb:BatchGetItem is not allowed on {}; reading models one by one", table);
                }
            }
            for (String id : chunk) {
                find(id).ifPresent(e -> found.put(id, e.model()));
            }
        }
        return ids.stream().map(found::get).filter(m -> m != null).toList();
    }

    private void batchGet(List<String> ids, Map<String, ModelEntity> found) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(new LinkedHashSet<>(ids).stream()
                .map(id -> key("MODEL#" + id, "MODEL")).toList());
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
        for (int round = 0; round < 8 && !request.isEmpty(); round++) {
            Map<String, KeysAndAttributes> req = request;
            calls.incrementAndGet();
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(req)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) {
                itemsRead.incrementAndGet();
                CatalogEntry e = Json.read(item.get("body").s(), CatalogEntry.class);
                found.put(e.model().id(), e.model());
            }
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            if (!request.isEmpty()) {
                sleep(20L << round);
            }
        }
        if (!request.isEmpty()) {
            throw new IllegalStateException("BatchGetItem kept returning unprocessed keys");
        }
    }

    private static boolean isAccessDenied(DynamoDbException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 400 && code != null && code.contains("AccessDenied");
    }

    private QueryResponse query(QueryRequest request) {
        calls.incrementAndGet();
        QueryResponse r = dynamo.query(request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build());
        itemsRead.addAndGet(r.scannedCount() == null ? r.count() : r.scannedCount());
        return r;
    }

    private static Map<String, AttributeValue> next(QueryResponse r) {
        return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    }

    /** A position in a partition: just after the item with this sort key (it need not exist). */
    private static Map<String, AttributeValue> startKey(String partition, String sortKey) {
        String sk = ALL.equals(partition) ? "MODEL" : SEARCH.equals(partition) ? "SEARCH" : "IDX#" + partition;
        Map<String, AttributeValue> k = new HashMap<>();
        k.put("gsi1pk", AttributeValue.fromS(partition));
        k.put("gsi1sk", AttributeValue.fromS(sortKey));
        k.put("pk", AttributeValue.fromS("MODEL#" + idOf(sortKey)));
        k.put("sk", AttributeValue.fromS(sk));
        return k;
    }

    /** {@code created_at#id}: timestamps never contain '#', ids may. */
    static String idOf(String sortKey) {
        return sortKey.substring(sortKey.indexOf('#') + 1);
    }

    private long counter(String partition) {
        calls.incrementAndGet();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key("COUNT#" + partition, "COUNT"))).item();
        if (item == null || !item.containsKey("n")) {
            return 0;
        }
        itemsRead.incrementAndGet();
        return Math.max(0, Long.parseLong(item.get("n").n()));
    }

    private Map<String, AttributeValue> getCache(String pk) {
        calls.incrementAndGet();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pk, "CACHE"))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        itemsRead.incrementAndGet();
        return item;
    }

    private void putCache(String pk, Map<String, AttributeValue> data, Duration ttl) {
        if (!cacheWritable) {
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(data);
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS("CACHE"));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(ttl).getEpochSecond())));
        try {
            calls.incrementAndGet();
            dynamo.putItem(b -> b.tableName(table).item(item));
        } catch (DynamoDbException e) {
            if (isAccessDenied(e)) {
                cacheWritable = false;
                LOG.warn("dynamodb:PutItem is not allowed on {} (cache items): listing works without the cache",
                        table);
            } else {
                LOG.warn("could not write catalog cache item: {}", e.toString());
            }
        }
    }

    private static boolean expired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue exp = item.get("expiresAt");
        return exp != null && exp.n() != null && Long.parseLong(exp.n()) < now.getEpochSecond();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static AttributeValue strings(Collection<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static AttributeValue pack(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes.toByteArray()));
    }

    static List<String> unpack(AttributeValue value) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(value.b().asByteArray()))) {
            String text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(text.split("\n", -1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
