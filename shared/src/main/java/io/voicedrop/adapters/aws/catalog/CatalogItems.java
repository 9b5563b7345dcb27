package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.catalog.TitleLanguage;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The shape of every catalog item (see the package page for the layout). Pure functions: the writer, the listings
 * and the benchmark's bulk loader all build items here, so they cannot disagree on a key or an attribute name.
 */
public final class CatalogItems {

    public static final String INDEX = "gsi1";
    public static final String ALL = "ALL";
    public static final String SEARCH = "SEARCH";
    /** Index bounds: a model with hundreds of tags must not turn one save into hundreds of writes. */
    static final int MAX_INDEXED_TAGS = 20;
    static final int MAX_INDEXED_LANGUAGES = 8;
    static final int MAX_INDEXED_VALUE = 100;
    static final int MAX_INDEXED_AUTHOR = 200;

    private CatalogItems() {
    }

    /** The items of a model that is not in the catalog yet, and the partitions whose counters it raises. */
    public record NewModel(List<Map<String, AttributeValue>> items, List<String> partitions) {
    }

    /**
     * What {@link CatalogWriter#save} writes for a new model, for loading many with {@code BatchWriteItem} (the
     * benchmark). The caller must raise the counter of every partition in {@link NewModel#partitions()} by one.
     */
    public static NewModel newModel(CatalogEntry entry) {
        CatalogEntry stored = stored(entry);
        ModelEntity m = stored.model();
        String sortKey = sortKey(m);
        Set<String> target = filterKeys(stored);
        Map<String, AttributeValue> compact = compact(stored);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        TitlePostings.Change titles = TitlePostings.forNewModel(m.id(), m.title(), sortKey, compact);
        Map<String, AttributeValue> main = new HashMap<>(mainItem(m.id(), sortKey, Json.write(stored), 1, target));
        TitlePostings.record(main, titles.target());
        items.add(main);
        items.addAll(titles.puts());
        items.add(indexItem(m.id(), SEARCH, SEARCH, sortKey, compact));
        for (String k : target) {
            items.add(indexItem(m.id(), "IDX#" + k, k, sortKey, compact));
        }
        List<String> partitions = new ArrayList<>(target);
        partitions.add(ALL);
        return new NewModel(items, partitions);
    }

    /** The counter item of a partition holding {@code n} models. */
    public static Map<String, AttributeValue> counterItem(String partition, long n) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS("COUNT#" + partition),
                "sk", AttributeValue.fromS("COUNT"), "n", AttributeValue.fromN(Long.toString(n))));
        if (ALL.equals(partition)) {
            item.put("g", AttributeValue.fromN(Long.toString(n))); // every model written by newModel is indexed
        }
        return item;
    }

    /** The entry as stored: with its title language resolved, because the filter needs it on every read. */
    static CatalogEntry stored(CatalogEntry entry) {
        String titleLanguage = TitleLanguage.of(entry);
        return new CatalogEntry(entry.model(), entry.jobId(), entry.sourceKeys(),
                titleLanguage.isEmpty() ? null : titleLanguage);
    }

    static String sortKey(ModelEntity m) {
        return m.createdAt() + "#" + m.id();
    }

    /** {@code created_at#id}: timestamps never contain '#', ids may. */
    static String idOf(String sortKey) {
        return sortKey.substring(sortKey.indexOf('#') + 1);
    }

    /** The filter partitions a model belongs to, within the index bounds. */
    static Set<String> filterKeys(CatalogEntry entry) {
        Set<String> keys = new LinkedHashSet<>();
        entry.model().tags().stream().filter(CatalogItems::indexable).distinct().limit(MAX_INDEXED_TAGS)
                .forEach(t -> keys.add("TAG#" + t));
        entry.model().languages().stream().map(TitleLanguage::normalize).filter(CatalogItems::indexable)
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

    static boolean indexable(String value) {
        return value != null && !value.isBlank() && value.codePointCount(0, value.length()) <= MAX_INDEXED_VALUE;
    }

    /** A partition that {@link #filterKeys} could have written: longer values are never indexed, so never asked. */
    static boolean indexableKey(String key) {
        String value = key.substring(key.indexOf('#') + 1);
        return key.startsWith("AUTHOR#") ? value.length() <= MAX_INDEXED_AUTHOR : indexable(value);
    }

    /** The filter fields only: what a scan reads instead of the whole model. */
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

    static Map<String, AttributeValue> mainItem(String id, String sortKey, String body, long version,
                                                Set<String> keys) {
        Map<String, AttributeValue> main = new HashMap<>();
        main.put("pk", AttributeValue.fromS("MODEL#" + id));
        main.put("sk", AttributeValue.fromS("MODEL"));
        main.put("gsi1pk", AttributeValue.fromS(ALL));
        main.put("gsi1sk", AttributeValue.fromS(sortKey));
        main.put("body", AttributeValue.fromS(body));
        main.put("v", AttributeValue.fromN(Long.toString(version)));
        main.put("keys", strings(keys));
        main.put("items", strings(itemSortKeys(keys)));
        return main;
    }

    /**
     * The sort keys of the model's other items (all under {@code MODEL#<id>}): its compact twin and one index item
     * per partition. Recorded in the main item, so an erase removes exactly what the saves wrote, whatever item
     * kinds a later version adds (it lists them here too).
     */
    static List<String> itemSortKeys(Collection<String> keys) {
        List<String> items = new ArrayList<>();
        items.add(SEARCH);
        keys.forEach(k -> items.add("IDX#" + k));
        return items;
    }

    /** The items a main item says its model has; items of older catalog versions are derived from its partitions. */
    static List<String> itemsOf(Map<String, AttributeValue> main) {
        if (main.containsKey("items") && main.get("items").hasL()) {
            List<String> items = new ArrayList<>();
            main.get("items").l().forEach(v -> items.add(v.s()));
            return items;
        }
        return itemSortKeys(keysOf(main));
    }

    /**
     * What an erased model leaves: a main item with its id, no body and no index attributes, so no listing or
     * {@code find} sees it, and a save that comes late is refused; removed by TTL after {@code expiresAt}.
     */
    static Map<String, AttributeValue> erasedMain(String id, long version, Instant expiresAt) {
        Map<String, AttributeValue> main = new HashMap<>();
        main.put("pk", AttributeValue.fromS("MODEL#" + id));
        main.put("sk", AttributeValue.fromS("MODEL"));
        main.put("erased", AttributeValue.fromBool(true));
        main.put("v", AttributeValue.fromN(Long.toString(version)));
        main.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        return main;
    }

    static boolean isErased(Map<String, AttributeValue> main) {
        return main.containsKey("erased") && Boolean.TRUE.equals(main.get("erased").bool());
    }

    static Map<String, AttributeValue> indexItem(String id, String sk, String partition, String sortKey,
                                                 Map<String, AttributeValue> compact) {
        Map<String, AttributeValue> item = new HashMap<>(compact);
        item.put("pk", AttributeValue.fromS("MODEL#" + id));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("gsi1pk", AttributeValue.fromS(partition));
        item.put("gsi1sk", AttributeValue.fromS(sortKey));
        return item;
    }

    /** An index item without index attributes: out of the sparse index at once, out of the table by TTL. */
    static Map<String, AttributeValue> tombstone(String id, String partition, Instant expiresAt) {
        return Map.of("pk", AttributeValue.fromS("MODEL#" + id), "sk", AttributeValue.fromS("IDX#" + partition),
                "expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    }

    /** The partitions a main item says its model is in; items of the first catalog version have no {@code keys}. */
    static Set<String> keysOf(Map<String, AttributeValue> main) {
        if (main.containsKey("keys") && main.get("keys").hasL()) {
            Set<String> keys = new LinkedHashSet<>();
            main.get("keys").l().forEach(v -> keys.add(v.s()));
            return keys;
        }
        // The first catalog version indexed exactly these values.
        return filterKeys(Json.read(main.get("body").s(), CatalogEntry.class));
    }

    /** A position in a partition: just after the item with this sort key (it need not exist). */
    static Map<String, AttributeValue> startKey(String partition, String sortKey) {
        String sk = ALL.equals(partition) ? "MODEL" : SEARCH.equals(partition) ? "SEARCH" : "IDX#" + partition;
        Map<String, AttributeValue> k = new HashMap<>();
        k.put("gsi1pk", AttributeValue.fromS(partition));
        k.put("gsi1sk", AttributeValue.fromS(sortKey));
        k.put("pk", AttributeValue.fromS("MODEL#" + idOf(sortKey)));
        k.put("sk", AttributeValue.fromS(sk));
        return k;
    }

    static Map<String, AttributeValue> modelKey(String id) {
        return key("MODEL#" + id, "MODEL");
    }

    static Map<String, AttributeValue> counterKey(String partition) {
        return key("COUNT#" + partition, "COUNT");
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    static AttributeValue strings(Collection<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
