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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Title search through the title index (n-gram postings written with each save), on the emulator, each test on a
 * fresh table: a rare title among 2,000 models reads a few dozen items, not the catalog; on a varied corpus (scripts,
 * case, emoji, one- and two-letter queries, titles too long to be posted) every answer equals both a brute-force
 * answer and the full scan the catalog used before the index; paging a search returns each match once; re-saves
 * with another title move the model's postings, leaving none behind; an edit changes what a search finds, cached
 * or not; an erasure, also racing the model's create, leaves no posting and nothing findable.
 */
class CatalogTitleIndexTest {

    private DynamoDbClient dynamo;
    private String table;
    private DynamoModelCatalog catalog;
    private final Map<String, CatalogEntry> truth = new LinkedHashMap<>();

    /** The emulator keeps every table in memory for the whole run: each test's own table goes with it. */
    @AfterEach
    void dropTable() {
        dynamo.deleteTable(b -> b.tableName(table));
    }

    @BeforeEach
    void freshTable() {
        dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        table = "title-index-test-" + UUID.randomUUID();
        CatalogBenchmark.createTable(dynamo, table);
        catalog = new DynamoModelCatalog(dynamo, table);
    }

    static CatalogEntry model(int i, String title, List<String> tags, String lang) {
        String created = Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 60L).toString();
        ModelEntity m = new ModelEntity(String.format(Locale.ROOT, "m%05d", i), "tts", title, "", "", "fast",
                "trained", tags, List.of(), created, created, List.of(lang), "private", false, 0, 0, 0, 0, false,
                false, new ModelEntity.Author("author-" + (i % 3), "n", ""));
        return new CatalogEntry(m, "job-" + i, List.of("incoming/" + i + ".wav"), null);
    }

    private void save(CatalogEntry e) {
        catalog.save(e);
        truth.put(e.model().id(), e);
    }

    private void load(List<CatalogEntry> entries) throws Exception {
        CatalogBenchmark.load(dynamo, table, entries);
        entries.forEach(e -> truth.put(e.model().id(), e));
    }

    private static ListQuery query(String title, int size, int page, List<String> tags) {
        return new ListQuery(size, page, title, tags, false, null, List.of(), List.of(), "created_at");
    }

    /** The rule clients see: the lower-cased title contains the trimmed, lower-cased query. */
    private List<String> expected(String title, Predicate<CatalogEntry> also) {
        String q = title.strip().toLowerCase(Locale.ROOT);
        return truth.values().stream()
                .filter(e -> e.model().title().toLowerCase(Locale.ROOT).contains(q) && also.test(e))
                .sorted(Comparator.comparing((CatalogEntry e) -> e.model().createdAt() + "#" + e.model().id())
                        .reversed())
                .map(e -> e.model().id()).toList();
    }

    private List<String> all(String title, List<String> tags) {
        List<String> ids = new ArrayList<>();
        for (int p = 1; ; p++) {
            ModelPage page = catalog.list(query(title, 100, p, tags));
            page.items().forEach(m -> ids.add(m.id()));
            if (page.items().size() < 100) {
                assertEquals(ids.size(), page.total(), "total of " + title);
                return ids;
            }
        }
    }

    @Test
    void aRareTitleAmongTwoThousandModelsReadsAFewItemsNotTheCatalog() throws Exception {
        List<CatalogEntry> entries = new ArrayList<>();
        String[] words = {"narrator", "calm", "bright", "deep", "warm", "story", "news", "voice"};
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String title = i == 1234 ? "Zephyrine Quokka" : words[r.nextInt(words.length)] + " "
                    + words[r.nextInt(words.length)] + " " + i;
            entries.add(model(i, title, List.of("t" + (i % 5)), "en"));
        }
        load(entries);

        DynamoModelCatalog.ReadCost before = catalog.readCost();
        ModelPage rare = catalog.list(query("quokka", 10, 1, List.of()));
        DynamoModelCatalog.ReadCost cost = catalog.readCost().minus(before);
        assertEquals(List.of("m01234"), rare.items().stream().map(ModelEntity::id).toList());
        assertEquals(1, rare.total());
        // Probes of at most 8 grams x 10 postings, 1 match, the counter, the newest model, the page: far below 2,000.
        System.out.println("title=quokka among 2000 models: " + cost);
        assertTrue(cost.itemsRead() <= 40, "a rare title read " + cost);

        before = catalog.readCost();
        ModelPage common = catalog.list(query("deep", 10, 1, List.of()));
        cost = catalog.readCost().minus(before);
        long matches = expected("deep", e -> true).size();
        assertEquals(matches, common.total());
        // One gram's postings (every match holds it; a few others may share it) plus probes and the page.
        System.out.println("title=deep among 2000 models (" + matches + " matches): " + cost);
        assertTrue(cost.itemsRead() <= matches * 2 + 150 && cost.itemsRead() < 2000,
                "'deep' (" + matches + " matches) read " + cost);

        before = catalog.readCost();
        ModelPage combined = catalog.list(query("quokka", 10, 1, List.of("t4")));
        cost = catalog.readCost().minus(before);
        assertEquals(List.of("m01234"), combined.items().stream().map(ModelEntity::id).toList());
        assertTrue(cost.itemsRead() <= 45, "title and tag read " + cost);
    }

    /** Titles that try the rule's corners: scripts, case mappings, emoji, punctuation, long and tiny titles. */
    private static final String[] CORPUS = {
        "Narrator - Alice", "narrator ALICE", "Deep Voice 7", "deep  voice", "Bright 北京 Studio", "北京", "京", "東京の声",
        "Ästhetik Straße", "STRASSE", "İstanbul Radio", "istanbul", "ΣΟΦΙΑ σοφία", "Привет Мир", "😀 Smile 😀",
        "a", "ab", "abc", "abcabcabc", "x#y#z", "100% pure", "  padded  ", "Ünïcödé", "emoji🎙️mic",
        "A very long title that goes on and on, well past the sixty grams a model is posted under, surely",
        "Another long one: the quick brown fox jumps over the lazy dog, twice over, for good measure ok",
        "Hello, world", "HELLO WORLD", "hell", "o w", "Ωmega", "ωmega", "Lorem ipsum dolor", "ipsum",
    };

    private static final String[] QUERIES = {
        "a", "A", "ab", "abc", "bca", "北", "北京", "京の", "東京の声", "straße", "STRASSE", "ss", "i̇stanbul", "istanbul",
        "σοφ", "ΣΟΦΊΑ", "мир", "😀", "😀 s", "smile 😀", "#", "x#y", "%", " pure", "padded", "  padded  ", "ünï",
        "🎙", "sixty grams", "lazy dog", "over", "on and on", "hello, world", "o w", "hell", "o", "ωm", "zzz",
        "quick brown fox jumps over the lazy dog", "e", " ", "rem ip",
    };

    @Test
    void everyAnswerEqualsTheBruteForceAnswerAndTheFullScan() throws Exception {
        List<CatalogEntry> bulk = new ArrayList<>();
        for (int i = 0; i < CORPUS.length; i++) {
            bulk.add(model(i, CORPUS[i], List.of(i % 2 == 0 ? "even" : "odd"), "en"));
        }
        load(bulk.subList(0, CORPUS.length / 2));
        // The rest saved one by one: the writer's postings must equal the bulk loader's.
        bulk.subList(CORPUS.length / 2, bulk.size()).forEach(this::save);

        Map<String, List<String>> indexed = new LinkedHashMap<>();
        for (String q : QUERIES) {
            List<String> got = all(q, List.of());
            assertEquals(expected(q, e -> true), got, "title=" + q);
            indexed.put(q, got);
            assertEquals(expected(q, e -> e.model().tags().contains("even")), all(q, List.of("even")),
                    "title=" + q + "&tag=even");
        }
        // The same queries answered by the scan the catalog used before the index (a catalog whose ALL counter
        // does not say every title is indexed takes it), on a fresh cache.
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("COUNT#ALL"),
                "sk", AttributeValue.fromS("COUNT"))).updateExpression("REMOVE g"));
        catalog = new DynamoModelCatalog(dynamo, table);
        DynamoModelCatalog.ReadCost before = catalog.readCost();
        for (String q : QUERIES) {
            dropSearchCache();
            assertEquals(indexed.get(q), all(q, List.of()), "full scan of title=" + q);
        }
        assertTrue(catalog.readCost().minus(before).itemsRead() >= (long) QUERIES.length * CORPUS.length,
                "the comparison did not run the full scan");
    }

    @Test
    void pagingThroughASearchReturnsEachMatchOnce() throws Exception {
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            entries.add(model(i, (i % 3 == 0 ? "Story teller " : "Radio ") + i, List.of("x"), "en"));
        }
        load(entries);
        List<String> want = expected("story", e -> true);
        for (int size : List.of(7, 10, 100)) {
            List<String> seen = new ArrayList<>();
            for (int p = 1; p <= want.size() / size + 2; p++) {
                ModelPage page = catalog.list(query("story", size, p, List.of()));
                assertEquals(want.size(), page.total());
                page.items().forEach(m -> seen.add(m.id()));
            }
            assertEquals(want, seen, "page size " + size);
            assertEquals(seen.size(), new HashSet<>(seen).size(), "a match was paged twice");
        }
    }

    @Test
    void resavesMoveTheTitlesPostingsAndLeaveNoneBehind() {
        for (int i = 0; i < 20; i++) {
            save(model(i, "Plain " + i, List.of("a"), "en"));
        }
        CatalogEntry m = truth.get("m00005");
        assertEquals(List.of("m00005"), all("plain 5", List.of()));
        warmSearches("plain 5", "lighthouse");

        CatalogEntry renamed = withTitle(m, "Lighthouse Keeper");
        save(renamed);
        dropSearchCache(); // before the edit counters of the lifecycle land, a title edit is seen within the TTL
        assertEquals(List.of(), all("plain 5", List.of()));
        assertEquals(List.of("m00005"), all("lighthouse", List.of()));
        assertEquals(postingsOf("Lighthouse Keeper"), itemsUnder("m00005", "GRAM#"));

        // Too long to be posted: gramless, its postings gone; found all the same.
        String longTitle = "Lighthouse keeper of the northern isles, who reads the weather aloud every single dawn";
        save(withTitle(renamed, longTitle));
        dropSearchCache();
        assertEquals(Set.of(), itemsUnder("m00005", "GRAM#"));
        assertEquals(Set.of("GRAMLESS"), itemsUnder("m00005", "GRAMLESS"));
        assertEquals(List.of("m00005"), all("weather aloud", List.of()));
        assertEquals(List.of("m00005"), all("keeper", List.of()));

        // Back to a short title with many tags: postings again, the gramless item gone.
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tags.add("tag" + t);
        }
        save(new CatalogEntry(m.model().withTags(tags), m.jobId(), m.sourceKeys(), null));
        dropSearchCache();
        assertEquals(Set.of(), itemsUnder("m00005", "GRAMLESS"));
        assertEquals(postingsOf(m.model().title()), itemsUnder("m00005", "GRAM#"));
        assertEquals(expected("plain", e -> true), all("plain", List.of()));
        assertEquals(List.of("m00005"), all("plain 5", List.of("tag7")));
    }

    @Test
    void aSaveWhosePostingsDoNotFitItsTransactionLeavesThemInASecondStep() {
        // 57 distinct grams and 20 tags; the edit below swaps all 20 tags and 8 languages too, so its transaction
        // has room for neither new postings nor the removal of the old ones: they are left in a step before it.
        String first = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";
        CatalogEntry e = model(1, first, tags("old", 20), "en");
        save(e);
        save(model(2, "other", List.of("a"), "en"));
        assertEquals(postingsOf(first), itemsUnder("m00001", "GRAM#"));
        String second = "zyxwvutsrqponmlkjihgfedcba 9876543210 ZYXWVUTSRQPONMLKJIHGFE";
        ModelEntity m = withTitle(e, second).model().withTags(tags("new", 20));
        ModelEntity edited = new ModelEntity(m.id(), m.type(), m.title(), m.description(), m.coverImage(),
                m.trainMode(), m.state(), m.tags(), m.samples(), m.createdAt(), m.updatedAt(),
                List.of("de", "fr", "es", "it", "pt", "nl", "pl", "sv"), m.visibility(), m.lockVisibility(),
                m.likeCount(), m.markCount(), m.sharedCount(), m.taskCount(), m.liked(), m.marked(), m.author());
        save(new CatalogEntry(edited, e.jobId(), e.sourceKeys(), null));
        dropSearchCache();
        assertEquals(Set.of(), itemsUnder("m00001", "GRAM#"));
        assertEquals(Set.of("GRAMLESS"), itemsUnder("m00001", "GRAMLESS"));
        assertEquals(List.of("m00001"), all("wvu", List.of()));
        assertEquals(List.of(), all("abcdef", List.of()));
        assertEquals(List.of("m00001"), all("9876543210 z", List.of("new3")));
        assertEquals(List.of(), all("9876543210 z", List.of("old3")));
        // A later short title gets its postings back, and the gramless item goes.
        save(new CatalogEntry(withTitle(new CatalogEntry(edited, e.jobId(), e.sourceKeys(), null), "Short one")
                .model(), e.jobId(), e.sourceKeys(), null));
        dropSearchCache();
        assertEquals(postingsOf("Short one"), itemsUnder("m00001", "GRAM#"));
        assertEquals(Set.of(), itemsUnder("m00001", "GRAMLESS"));
        assertEquals(List.of("m00001"), all("short", List.of()));
    }

    private static List<String> tags(String prefix, int n) {
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            tags.add(prefix + t);
        }
        return tags;
    }

    @Test
    void anEditChangesWhatASearchFindsEvenWithItsResultCached() {
        for (int i = 0; i < 30; i++) {
            save(model(i, (i % 2 == 0 ? "Harbour " : "Meadow ") + i, List.of("a"), "en"));
        }
        assertEquals(expected("harbour", e -> true), all("harbour", List.of()));
        assertEquals(expected("lantern", e -> true), all("lantern", List.of()));
        save(withTitle(truth.get("m00004"), "Lantern Bearer"));
        save(withTitle(truth.get("m00007"), "HARBOUR lights"));
        assertEquals(expected("harbour", e -> true), all("harbour", List.of()));
        assertEquals(List.of("m00004"), all("lantern", List.of()));
        assertEquals(postingsOf("Lantern Bearer"), itemsUnder("m00004", "GRAM#"));
    }

    @Test
    void anErasureLeavesNoPostingAndNothingFindable() {
        save(model(1, "Quiet Orchard", List.of("a"), "en"));
        save(model(2, "A very long title that goes on and on, well past the sixty grams a model is posted "
                + "under", List.of("a"), "en"));
        // 57 grams and 30 partitions: more to delete than one transaction holds.
        save(model(3, "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", tags("t", 20), "en"));
        save(model(4, "Quiet neighbour", List.of("a"), "en"));
        assertEquals(List.of("m00004", "m00001"), all("quiet", List.of()));
        for (String id : List.of("m00001", "m00002", "m00003")) {
            catalog.erase(id);
            truth.remove(id);
            assertEquals(Set.of("MODEL"), itemsUnder(id, ""), "only the erased marker is left of " + id);
        }
        assertEquals(List.of("m00004"), all("quiet", List.of()));
        assertEquals(List.of(), all("sixty grams", List.of()));
        assertEquals(List.of(), all("klmno", List.of()));
        assertEquals(expected("e", e -> true), all("e", List.of()));
    }

    /**
     * Creates and erasures of the same models at once (the moto launcher applies one request at a time, like
     * DynamoDB's atomic item writes; every interleaving of the two protocols' calls is still possible): whichever
     * comes first, nothing of the model is left to find.
     */
    @Test
    void aConcurrentCreateAndEraseLeaveNothingFindable() throws Exception {
        save(model(0, "Bystander copper", List.of("a"), "en"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int i = 1; i <= 12; i++) {
                CatalogEntry e = model(i, "Copper kettle " + i, List.of("a"), "en");
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var created = pool.submit(() -> {
                    go.await();
                    catalog.save(e);
                    return null;
                });
                var erased = pool.submit(() -> {
                    go.await();
                    if (e.model().id().hashCode() % 2 == 0) {
                        Thread.sleep(5);
                    }
                    catalog.erase(e.model().id());
                    return null;
                });
                go.countDown();
                created.get();
                erased.get();
                assertTrue(catalog.find(e.model().id()).isEmpty(), e.model().id());
                assertEquals(Set.of("MODEL"), itemsUnder(e.model().id(), ""), e.model().id());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of("m00000"), all("copper", List.of()));
        assertEquals(1, catalog.list(query(null, 10, 1, List.of())).total());
    }

    private static CatalogEntry withTitle(CatalogEntry e, String title) {
        ModelEntity m = e.model();
        ModelEntity t = new ModelEntity(m.id(), m.type(), title, m.description(), m.coverImage(), m.trainMode(),
                m.state(), m.tags(), m.samples(), m.createdAt(), m.updatedAt(), m.languages(), m.visibility(),
                m.lockVisibility(), m.likeCount(), m.markCount(), m.sharedCount(), m.taskCount(), m.liked(),
                m.marked(), m.author());
        return new CatalogEntry(t, e.jobId(), e.sourceKeys(), e.titleLanguage());
    }

    private static Set<String> postingsOf(String title) {
        Set<String> out = new TreeSet<>();
        io.voicedrop.core.catalog.TitleGrams.of(title).forEach(g -> out.add("GRAM#" + g));
        return out;
    }

    /** Sort keys of the model's items starting with {@code prefix}, read straight from the table. */
    private Set<String> itemsUnder(String id, String prefix) {
        Set<String> out = new TreeSet<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("MODEL#" + id))).consistentRead(true))
                .items().stream().map(i -> i.get("sk").s()).filter(sk -> sk.startsWith(prefix)).forEach(out::add);
        return out;
    }

    private void warmSearches(String... titles) {
        for (String t : titles) {
            catalog.list(query(t, 10, 1, List.of()));
        }
    }

    /** Search results are cached for minutes; this test is about the index under them. */
    private void dropSearchCache() {
        dynamo.scanPaginator(b -> b.tableName(table).filterExpression("begins_with(pk, :c)")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("CACHE#search#"))))
                .items().forEach(i -> dynamo.deleteItem(d -> d.tableName(table)
                        .key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))));
    }
}
