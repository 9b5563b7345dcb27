package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.bench.CatalogBenchmark;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.service.ListQueryParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The DynamoDB catalog against the emulator, each test on a fresh table: listing matches a brute-force answer for
 * every query kind and page, counters stay exact through re-saves and concurrent saves, first pages read
 * O(page_size) items, deep pages and searches pay their scan once.
 */
class ApiCatalogTest {

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
        table = "api-catalog-test-" + UUID.randomUUID();
        CatalogBenchmark.createTable(dynamo, table);
        catalog = new DynamoModelCatalog(dynamo, table);
    }

    private CatalogEntry model(int i, List<String> tags, String lang, String author, String title) {
        String created = Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 60L).toString();
        ModelEntity m = new ModelEntity(String.format(Locale.ROOT, "m%05d", i), "tts", title, "", "", "fast",
                "trained", tags, List.of(), created, created, List.of(lang), "private", false, 0, 0, 0, 0, false,
                false, new ModelEntity.Author(author, "n", ""));
        return new CatalogEntry(m, "job-" + i, List.of("incoming/" + i + ".wav"), null);
    }

    private void save(CatalogEntry e) {
        catalog.save(e);
        truth.put(e.model().id(), e);
    }

    private void seed(int from, int to) {
        for (int i = from; i < to; i++) {
            List<String> tags = i % 3 == 0 ? List.of("a", "b") : i % 3 == 1 ? List.of("a") : List.of("c");
            String title = (i % 7 == 0 ? "Deep Voice " : "Bright ") + i + (i % 11 == 0 ? " 北京" : "");
            save(model(i, tags, i % 2 == 0 ? "en" : "zh", "author-" + (i % 4), title));
        }
    }

    private List<String> expected(Predicate<CatalogEntry> filter) {
        return truth.values().stream().filter(filter)
                .sorted(Comparator.comparing((CatalogEntry e) -> e.model().createdAt() + "#" + e.model().id())
                        .reversed())
                .map(e -> e.model().id()).toList();
    }

    private void assertPages(String query, Predicate<CatalogEntry> filter, int pageSize) {
        List<String> all = expected(filter);
        int pages = Math.max(1, (all.size() + pageSize - 1) / pageSize) + 1;
        for (int p = 1; p <= pages; p++) {
            ModelPage page = list(query + "&page_size=" + pageSize + "&page_number=" + p);
            List<String> want = all.subList(Math.min(all.size(), (p - 1) * pageSize),
                    Math.min(all.size(), p * pageSize));
            assertEquals(want, page.items().stream().map(ModelEntity::id).toList(), query + " page " + p);
            assertEquals(all.size(), page.total(), query + " total");
        }
    }

    private ModelPage list(String query) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            p.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>()).add(part.substring(eq + 1));
        }
        ListQuery q = ListQueryParser.parse(p);
        return catalog.list(q);
    }

    @Test
    void everyQueryKindPagesLikeABruteForceAnswer() {
        seed(0, 120);
        assertPages("", e -> true, 10);
        assertPages("", e -> true, 7);
        assertPages("tag=a", e -> e.model().tags().contains("a"), 10);
        assertPages("tag=a&tag=b", e -> e.model().tags().containsAll(List.of("a", "b")), 10);
        assertPages("language=EN", e -> e.model().languages().contains("en"), 25);
        assertPages("language=en&language=zh", e -> true, 50);
        assertPages("author_id=author-1", e -> e.model().author().id().equals("author-1"), 10);
        assertPages("author_id=author-1&self=true", e -> true, 100);
        assertPages("title=deep%20voice".replace("%20", " "), e -> e.model().title().toLowerCase(Locale.ROOT)
                .contains("deep voice"), 5);
        assertPages("title_language=zh", e -> e.model().title().contains("北京"), 5);
        assertPages("title_language=en", e -> !e.model().title().contains("北京"), 30);
        assertPages("title=bright&tag=c&language=en", e -> e.model().title().contains("Bright")
                && e.model().tags().contains("c") && e.model().languages().contains("en"), 4);
        // New models on top: cached cursors shift, cached searches take them in.
        seed(120, 130);
        assertPages("", e -> true, 10);
        assertPages("tag=a", e -> e.model().tags().contains("a"), 10);
        assertPages("title=deep voice", e -> e.model().title().toLowerCase(Locale.ROOT).contains("deep voice"), 5);
        // A model inserted below the newest one (older created_at) is not lost either.
        save(model(-5, List.of("a"), "en", "author-9", "Deep Voice late"));
        assertPages("", e -> true, 10);
        assertPages("title=deep voice", e -> e.model().title().toLowerCase(Locale.ROOT).contains("deep voice"), 5);
    }

    @Test
    void countersStayExactThroughResavesAndConcurrentSaves() throws Exception {
        seed(0, 30);
        CatalogEntry first = truth.get("m00003");
        // Training, then trained: same partitions, counted once.
        save(new CatalogEntry(first.model().withTags(List.of("a", "b")), first.jobId(), first.sourceKeys(), null));
        // Tags change: it leaves b, joins d.
        save(new CatalogEntry(first.model().withTags(List.of("a", "d")), first.jobId(), first.sourceKeys(), null));
        assertEquals(expected(e -> e.model().tags().contains("b")), ids(list("tag=b&page_size=100")));
        assertEquals(1, list("tag=d").total());
        assertEquals(30, list("").total());
    }

    /**
     * Concurrent saves of one model through a client that lets one call at a time reach the emulator: every
     * interleaving of whole calls is still possible (a save's read and its transaction are separate calls, so other
     * saves commit in between), which is all the save protocol relies on; what is taken away is moto running two
     * transactions at once, which it cannot do correctly (see the disabled test below). The first consistent reads
     * of the model are held back a little so that several saves surely read the same version and all but one lose
     * their compare-and-set: the test fails if no race happened at all.
     */
    @Test
    void countersStayExactUnderConcurrentSaves() throws Exception {
        OneCallAtATime serialized = new OneCallAtATime(dynamo, 4, 50);
        catalog = new DynamoModelCatalog(serialized.client(), table);
        concurrentSavesOfOneModel();
        assertTrue(serialized.cancelledTransactions() > 0, "no save lost a race: the test did not test races");
        System.out.println("concurrent saves: " + serialized.cancelledTransactions() + " transactions lost a race");
    }

    /*
     * Why the saves above go one call at a time: moto 5.2.1 does not isolate concurrent TransactWriteItems (it
     * applies a transaction's actions one by one without a lock, and a cancelled transaction restores a copy of the
     * whole table taken when it started, erasing transactions that committed meanwhile). Evidence:
     * scripts/bench-catalog.sh --isolation-check (CatalogTransactionIsolationCheck): 8 writers x 25 conditional
     * increments ended at version=190 counter=260 for 200 acknowledged writes on moto, exact when serialized.
     * DynamoDB's transactions are serializable, so no test here runs moto's transactions concurrently.
     */

    private void concurrentSavesOfOneModel() throws Exception {
        seed(0, 30);
        CatalogEntry first = truth.get("m00003");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            List<String> tags = t % 2 == 0 ? List.of("x" + t, "shared") : List.of("y" + t);
            CatalogEntry e = new CatalogEntry(first.model().withTags(tags), first.jobId(), first.sourceKeys(), null);
            done.add(pool.submit(() -> catalog.save(e)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        CatalogEntry now = catalog.find("m00003").orElseThrow();
        truth.put("m00003", now);
        List<String> tags = new ArrayList<>(List.of("a", "b", "c", "d", "shared"));
        for (int t = 0; t < 16; t++) {
            tags.add((t % 2 == 0 ? "x" : "y") + t);
        }
        for (String tag : tags) {
            assertEquals(expected(e -> e.model().tags().contains(tag)), ids(list("tag=" + tag + "&page_size=100")),
                    "tag " + tag);
            assertEquals(expected(e -> e.model().tags().contains(tag)).size(), list("tag=" + tag).total(), tag);
        }
        assertEquals(30, list("").total());
    }

    /**
     * A DynamoDB client that sends one call at a time (a lock around every call) and holds back the first
     * {@code delayed} consistent reads by {@code delayMillis}, outside the lock, so other saves read the same
     * version meanwhile. Counts the transactions DynamoDB cancelled.
     */
    static final class OneCallAtATime {
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicInteger delayed;
        private final AtomicInteger cancelled = new AtomicInteger();
        private final DynamoDbClient client;

        OneCallAtATime(DynamoDbClient real, int delayed, long delayMillis) {
            this.delayed = new AtomicInteger(delayed);
            this.client = (DynamoDbClient) Proxy.newProxyInstance(
                    DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                    (proxy, method, args) -> {
                        Object result;
                        lock.lock();
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof TransactionCanceledException) {
                                cancelled.incrementAndGet();
                            }
                            throw e.getCause();
                        } finally {
                            lock.unlock();
                        }
                        if (method.getName().equals("getItem") && isConsistent(args)
                                && this.delayed.getAndDecrement() > 0) {
                            Thread.sleep(delayMillis);
                        }
                        return result;
                    });
        }

        @SuppressWarnings("unchecked")
        private static boolean isConsistent(Object[] args) {
            Object request = args == null || args.length == 0 ? null : args[0];
            if (request instanceof Consumer<?> c) {
                var b = GetItemRequest.builder();
                ((Consumer<GetItemRequest.Builder>) c)
                        .accept(b);
                request = b.build();
            }
            return request instanceof GetItemRequest r
                    && Boolean.TRUE.equals(r.consistentRead());
        }

        DynamoDbClient client() {
            return client;
        }

        int cancelledTransactions() {
            return cancelled.get();
        }
    }

    @Test
    void firstPagesReadPageSizeItemsAndDeepPagesPayTheirWalkOnce() {
        seed(0, 150);
        DynamoModelCatalog.ReadCost before = catalog.readCost();
        list("page_size=10");
        assertTrue(catalog.readCost().minus(before).itemsRead() <= 11, catalog.readCost().minus(before).toString());
        before = catalog.readCost();
        list("tag=a&page_size=10");
        assertTrue(catalog.readCost().minus(before).itemsRead() <= 21, catalog.readCost().minus(before).toString());
        before = catalog.readCost();
        list("page_size=10&page_number=13");
        long cold = catalog.readCost().minus(before).itemsRead();
        before = catalog.readCost();
        list("page_size=10&page_number=13");
        long warm = catalog.readCost().minus(before).itemsRead();
        assertTrue(cold >= 120 && warm <= 10 + 100 + 2, "cold " + cold + " warm " + warm);
        before = catalog.readCost();
        list("title=deep voice");
        long search = catalog.readCost().minus(before).itemsRead();
        before = catalog.readCost();
        list("title=deep voice&page_number=2");
        long next = catalog.readCost().minus(before).itemsRead();
        // The title index: one gram's postings and a few probes, fewer than the 150 models a scan would read.
        assertTrue(search < 150 && next <= 10 + 3, "search " + search + " next page " + next);
    }

    @Test
    void searchesBeyondTheirBoundsSayTheirTotalIsInexact() {
        catalog = new DynamoModelCatalog(dynamo, table, Clock.systemUTC(), 50, 20);
        seed(0, 120);
        ModelPage p = list("title=bright");
        assertFalse(p.totalIsExact());
        assertEquals(20L, p.maxOffset());
        assertEquals(List.of(), list("title=bright&page_number=3").items());
        ModelPage exact = list("tag=a&tag=b&title=deep");
        assertTrue(exact.totalIsExact(), "a small source partition is scanned whole");
    }

    private static List<String> ids(ModelPage page) {
        return page.items().stream().map(ModelEntity::id).toList();
    }
}
