package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.bench.CatalogBenchmark;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Edits and erasures in the DynamoDB catalog, each test on a fresh emulator table: every listing (unfiltered deep
 * pages, a tag, a title search, a tag and a language) and every counter equals a brute-force answer afterwards,
 * including when the listing's cursor checkpoints and search results were cached before the change; an erased model
 * leaves nothing but its marker, and a late save does not bring it back.
 */
class CatalogEditEraseTest {

    private DynamoDbClient dynamo;
    private String table;
    private DynamoModelCatalog catalog;
    private final Map<String, CatalogEntry> truth = new LinkedHashMap<>();

    /**
     * Deeper than two checkpoints ({@code PartitionPages.CHECKPOINT_EVERY} is 100), so edits and erasures below the
     * top must move cached cursors. Seeded in bulk as the catalog's own items: saving them one by one on the emulator
     * would take minutes, and the first saves are not what this test is about (ApiCatalogTest covers them).
     */
    private static final int MODELS = 230;

    /** The emulator keeps every table in memory for the whole run: each test's own table goes with it. */
    @AfterEach
    void dropTable() {
        dynamo.deleteTable(b -> b.tableName(table));
    }

    @BeforeEach
    void freshTable() throws Exception {
        dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        table = "catalog-edit-test-" + UUID.randomUUID();
        CatalogBenchmark.createTable(dynamo, table);
        catalog = new DynamoModelCatalog(dynamo, table);
        for (int i = 0; i < MODELS; i++) {
            CatalogEntry e = model(i, i % 2 == 0 ? List.of("t1") : List.of("t2", "t3"), i % 3 == 0 ? "en" : "de",
                    (i % 5 == 0 ? "Alpha " : "Beta ") + i);
            truth.put(e.model().id(), e);
        }
        CatalogBenchmark.load(dynamo, table, List.copyOf(truth.values()));
    }

    private static CatalogEntry model(int i, List<String> tags, String lang, String title) {
        String created = Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 60L).toString();
        ModelEntity m = new ModelEntity(String.format(Locale.ROOT, "m%05d", i), "tts", title, "", "", "fast",
                "trained", tags, List.of(), created, created, List.of(lang), "private", false, 0, 0, 0, 0, false,
                false, new ModelEntity.Author("author", "n", ""));
        return new CatalogEntry(m, "job-" + i, List.of("incoming/" + i + ".wav"), null);
    }

    private void save(CatalogEntry e) {
        catalog.save(e);
        truth.put(e.model().id(), e);
    }

    private void erase(String id) {
        catalog.erase(id);
        truth.remove(id);
    }

    private static ListQuery query(int size, int page, String title, List<String> tags, List<String> languages) {
        return new ListQuery(size, page, title, tags, false, null, languages, List.of(), "created_at");
    }

    /** The queries checked, each with its brute-force filter. */
    private Map<ListQuery, Predicate<CatalogEntry>> queries() {
        Map<ListQuery, Predicate<CatalogEntry>> q = new LinkedHashMap<>();
        for (int page = 1; page <= 3; page++) {
            q.put(query(100, page, null, List.of(), List.of()), e -> true);
            q.put(query(50, page, null, List.of("t1"), List.of()), e -> e.model().tags().contains("t1"));
        }
        q.put(query(100, 1, "alpha", List.of(), List.of()),
                e -> e.model().title().toLowerCase(Locale.ROOT).contains("alpha"));
        q.put(query(20, 2, "alpha", List.of(), List.of()),
                e -> e.model().title().toLowerCase(Locale.ROOT).contains("alpha"));
        q.put(query(100, 1, null, List.of("t2"), List.of("en")),
                e -> e.model().tags().contains("t2") && e.model().languages().contains("en"));
        return q;
    }

    private void assertListingsExact(String when) {
        queries().forEach((q, filter) -> {
            List<String> all = truth.values().stream().filter(filter).map(e -> e.model())
                    .sorted(Comparator.comparing(ModelEntity::createdAt).thenComparing(ModelEntity::id).reversed())
                    .map(ModelEntity::id).toList();
            int from = Math.min(all.size(), (q.pageNumber() - 1) * q.pageSize());
            List<String> expected = all.subList(from, Math.min(all.size(), from + q.pageSize()));
            ModelPage page = catalog.list(q);
            assertEquals(all.size(), page.total(), when + ": total of " + q);
            assertEquals(expected, page.items().stream().map(ModelEntity::id).toList(), when + ": items of " + q);
        });
        assertEquals(truth.size(), counter("ALL"), when);
        for (String tag : List.of("t1", "t2", "t3", "t4")) {
            assertEquals(truth.values().stream().filter(e -> e.model().tags().contains(tag)).count(),
                    counter("TAG#" + tag), when + ": counter of " + tag);
        }
        for (String lang : List.of("en", "de")) {
            assertEquals(truth.values().stream().filter(e -> e.model().languages().contains(lang)).count(),
                    counter("LANG#" + lang), when + ": counter of " + lang);
        }
    }

    private long counter(String partition) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("COUNT#" + partition),
                "sk", AttributeValue.fromS("COUNT")))).item();
        return item == null || !item.containsKey("n") ? 0 : Long.parseLong(item.get("n").n());
    }

    private List<String> itemsUnder(String id) {
        List<String> sks = new ArrayList<>();
        dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p").consistentRead(true)
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("MODEL#" + id))))
                .items().forEach(i -> sks.add(i.get("sk").s() + (i.containsKey("body") ? "+body" : "")));
        return sks;
    }

    @Test
    void editsKeepEveryListingAndCounterExactEvenWithWarmCaches() {
        assertListingsExact("before");
        // An edit that changes title and tags (leaves t1, joins t4) of a model deep in the listings.
        CatalogEntry old = truth.get("m00120");
        save(new CatalogEntry(new ModelEntity(old.model().id(), "tts", "Alpha renamed", "d", "", "fast", "trained",
                List.of("t4", "t2"), List.of(), old.model().createdAt(), "2026-04-01T00:00:00Z", List.of("en"),
                "unlist", false, 0, 0, 0, 0, false, false, old.model().author()), old.jobId(), old.sourceKeys(), null));
        // A title-only edit: no partition changes, yet title searches must follow.
        CatalogEntry beta = truth.get("m00007");
        save(new CatalogEntry(beta.model().withTags(beta.model().tags()), beta.jobId(), beta.sourceKeys(), null));
        CatalogEntry b = truth.get("m00013");
        ModelEntity renamed = new ModelEntity(b.model().id(), "tts", "ALPHA now", "", "", "fast", "trained",
                b.model().tags(), List.of(), b.model().createdAt(), b.model().updatedAt(), b.model().languages(),
                "private", false, 0, 0, 0, 0, false, false, b.model().author());
        save(new CatalogEntry(renamed, b.jobId(), b.sourceKeys(), null));
        assertListingsExact("after edits");
    }

    @Test
    void erasuresKeepEveryListingAndCounterExactAndLeaveOnlyTheMarker() {
        assertListingsExact("before");
        erase("m00100");
        // A model leaving and one arriving keep the counter: the caches must notice anyway.
        erase("m00050");
        save(model(500, List.of("t1"), "en", "Alpha newest"));
        erase("m00229");
        assertListingsExact("after erasures");

        assertEquals(List.of("MODEL"), itemsUnder("m00100"), "only the erased marker is left, without a body");
        assertTrue(catalog.find("m00100").isEmpty());
        catalog.save(model(100, List.of("t1"), "en", "late writer")); // a worker that comes late
        assertTrue(catalog.find("m00100").isEmpty(), "an erased model is not saved again");
        assertListingsExact("after a late save");
        catalog.erase("m00100");
        catalog.erase("never-existed");
        assertListingsExact("after repeated erasures");
        catalog.save(model(600, List.of("t1"), "en", "x"));
        assertTrue(catalog.find("m00600").isPresent(), "other models are saved as always");
        truth.put("m00600", model(600, List.of("t1"), "en", "x"));
        catalog.save(new CatalogEntry(model(601, List.of(), "en", "x").model(), null, List.of(), null));
        truth.put("m00601", model(601, List.of(), "en", "x"));
        assertTrue(catalog.find("never-existed").isEmpty());
        assertListingsExact("at the end");
    }

    @Test
    void anErasedModelsOldIndexTombstonesAreRemovedToo() {
        CatalogEntry e = truth.get("m00002");
        save(new CatalogEntry(e.model().withTags(List.of("t3")), e.jobId(), e.sourceKeys(), null));
        assertTrue(itemsUnder("m00002").contains("IDX#TAG#t1"), "the re-save left a tombstone of its old tag");
        erase("m00002");
        assertEquals(List.of("MODEL"), itemsUnder("m00002"), itemsUnder("m00002").toString());
        assertListingsExact("after");
    }
}
