package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.adapters.aws.JobListIndexBackfill;
import io.voicedrop.adapters.aws.catalog.TitleIndexBackfill;
import io.voicedrop.bench.CatalogBenchmark;
import io.voicedrop.core.catalog.TitleGrams;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.IndexBackfillTarget;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.IndexBackfill;
import io.voicedrop.ops.OpsCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code backfill-indexes} on the emulator: a catalog written before the title index existed (no postings, no
 * {@code g} on its counter) becomes searchable through the index; a second run changes nothing; erasures and title
 * edits racing the backfill leave no posting of an erased model and none of an old title; jobs written before the
 * job list index get its keys (and nothing else changes on them), and a jobs table without that index needs none.
 */
class IndexBackfillTest {

    private final IndexBackfill backfill = new IndexBackfill();
    private DynamoDbClient dynamo;
    private String table;
    private DynamoModelCatalog catalog;

    @BeforeEach
    void freshTable() {
        dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        table = "backfill-test-" + UUID.randomUUID();
        CatalogBenchmark.createTable(dynamo, table);
        catalog = new DynamoModelCatalog(dynamo, table);
    }

    private static CatalogEntry model(int i, String title) {
        String created = Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i * 60L).toString();
        ModelEntity m = new ModelEntity(String.format(Locale.ROOT, "b%05d", i), "tts", title, "", "", "fast",
                "trained", List.of("t" + (i % 4)), List.of(), created, created, List.of("en"), "private", false, 0,
                0, 0, 0, false, false, new ModelEntity.Author("author-" + (i % 3), "n", ""));
        return new CatalogEntry(m, "job-" + i, List.of("incoming/" + i + ".wav"), null);
    }

    /** A unique word in every title, so that a search for it has exactly one answer. */
    private static String word(int i) {
        return String.format(Locale.ROOT, "q%04dz", i);
    }

    /**
     * The catalog as the save path wrote it before the title index: every item of today's save but the postings
     * (and the gramless item), main items without a title state, the ALL counter without {@code g}.
     */
    private void seedWithoutTitleIndex(List<CatalogEntry> entries) {
        Map<String, Long> counters = new TreeMap<>();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (CatalogEntry e : entries) {
            DynamoModelCatalog.BulkItems b = DynamoModelCatalog.bulkItems(e);
            for (Map<String, AttributeValue> item : b.items()) {
                String sk = item.get("sk").s();
                if (sk.startsWith("GRAM#") || sk.equals("GRAMLESS")) {
                    continue;
                }
                Map<String, AttributeValue> old = new HashMap<>(item);
                old.keySet().removeAll(Set.of("gt", "grams", "gl"));
                items.add(old);
            }
            b.partitions().forEach(p -> counters.merge(p, 1L, Long::sum));
        }
        counters.forEach((p, n) -> {
            Map<String, AttributeValue> c = new HashMap<>(DynamoModelCatalog.counterItem(p, n));
            c.remove("g");
            items.add(c);
        });
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            var r = dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table, batch)).build());
            assertTrue(r.unprocessedItems().isEmpty(), "the emulator took every seeded item");
        }
    }

    private static ListQuery titled(String title) {
        return new ListQuery(100, 1, title, List.of(), false, null, List.of(), List.of(), "created_at");
    }

    private List<String> search(String title) {
        return catalog.list(titled(title)).items().stream().map(ModelEntity::id).toList();
    }

    private IndexBackfill.Report runTitleBackfill() {
        return backfill.run(new TitleIndexBackfill(dynamo, table), false, p -> { });
    }

    /** Every item of the table, by key, with the search cache left out (what searches remember, not the catalog). */
    private Map<String, Map<String, AttributeValue>> snapshot() {
        Map<String, Map<String, AttributeValue>> all = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(i -> !i.get("pk").s().startsWith("CACHE#"))
                .forEach(i -> all.put(i.get("pk").s() + " " + i.get("sk").s(), i));
        return all;
    }

    private long posting(String prefix) {
        return snapshot().keySet().stream().filter(k -> k.split(" ")[1].startsWith(prefix)).count();
    }

    private Map<String, AttributeValue> allCounter() {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("COUNT#ALL"), "sk", AttributeValue.fromS("COUNT")))).item();
    }

    @Test
    void aCatalogSeededWithoutPostingsIsFoundByTitleThroughTheIndexAfterTheBackfill() {
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(model(i, (i % 2 == 0 ? "Harbour " : "Meadow ") + word(i)));
        }
        // One title too long to be posted: it must come out gramless, as a save would make it.
        entries.add(model(300, "A very long title that goes on and on, well past the sixty grams a model is "
                + "posted under " + word(300)));
        seedWithoutTitleIndex(entries);
        assertEquals(0, posting("GRAM"), "seeded as before the title index");

        DynamoModelCatalog.ReadCost before = catalog.readCost();
        assertEquals(List.of("b00123"), search(word(123)));
        long scanned = catalog.readCost().minus(before).itemsRead();
        assertTrue(scanned >= 300, "before the backfill a title search scans the catalog: " + scanned);

        IndexBackfill.Report r = runTitleBackfill();
        assertEquals(301, r.written(), r.describe());
        assertEquals(0, r.skipped(), r.describe());
        assertTrue(new TitleIndexBackfill(dynamo, table).position().read().isEmpty(), "a finished run leaves no position");

        Map<String, AttributeValue> all = allCounter();
        assertEquals(all.get("n").n(), all.get("g").n(), "every model is counted as indexed");
        // The postings are exactly those the save path gives the same title.
        for (int i : List.of(0, 1, 123, 299)) {
            Set<String> want = new HashSet<>();
            TitleGrams.of(entries.get(i).model().title()).forEach(g -> want.add("GRAM#" + g));
            assertEquals(want, itemsUnder(entries.get(i).model().id(), "GRAM#"), "postings of " + i);
        }
        assertEquals(Set.of("GRAMLESS"), itemsUnder("b00300", "GRAM"), "the long title is gramless");

        catalog = new DynamoModelCatalog(dynamo, table);
        for (int i : List.of(7, 123, 250, 300)) {
            before = catalog.readCost();
            assertEquals(List.of(entries.get(i).model().id()), search(word(i)), "title " + word(i));
            long read = catalog.readCost().minus(before).itemsRead();
            assertTrue(read <= 40, "after the backfill the search reads the index, not the catalog: " + read);
        }
        assertEquals(150, catalog.list(titled("harbour")).total());
        // Saves after the backfill keep working on the posted models: an edit moves the postings.
        catalog.save(model(7, "Lantern " + word(7)));
        assertEquals(List.of(), search("meadow " + word(7)));
        assertEquals(List.of("b00007"), search("lantern"));
    }

    @Test
    void runningTheBackfillTwiceChangesNothing() {
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            entries.add(model(i, "Cedar " + word(i)));
        }
        seedWithoutTitleIndex(entries);
        assertEquals(120, runTitleBackfill().written());
        Map<String, Map<String, AttributeValue>> once = snapshot();

        IndexBackfill.Report again = runTitleBackfill();
        assertEquals(0, again.written(), again.describe());
        assertEquals(0, again.examined(), "nothing is left without a title state: " + again.describe());
        assertEquals(once, snapshot(), "a second run leaves every item as it was");
    }

    @Test
    void anInterruptedRunResumesWhereItStopped() {
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(model(i, "Birch " + word(i)));
        }
        seedWithoutTitleIndex(entries); // ~1,000 items: more than one scan page of 1,000
        TitleIndexBackfill target = new TitleIndexBackfill(dynamo, table);
        RuntimeException stop = new RuntimeException("interrupted");
        try {
            backfill.run(target, false, p -> {
                throw stop; // stops right after the first page's position was saved
            });
        } catch (RuntimeException e) {
            assertEquals(stop, e);
        }
        assertTrue(target.position().read().isPresent(), "the position of the next page is kept");
        long firstPage = Long.parseLong(allCounterValue("g")); // the models the first page indexed
        IndexBackfill.Report rest = backfill.run(target, false, p -> { });
        assertTrue(rest.resumed(), rest.describe());
        assertTrue(rest.pages() < 3, "resumed past the first page: " + rest.describe());
        assertEquals(200, firstPage + rest.written(), rest.describe());
        assertEquals(allCounterValue("n"), allCounterValue("g"));
        assertTrue(target.position().read().isEmpty());
    }

    private String allCounterValue(String name) {
        AttributeValue v = allCounter().get(name);
        return v == null ? "0" : v.n();
    }

    /**
     * Erasures and title edits while the backfill runs (the moto launcher applies one request at a time, so the
     * two protocols' calls interleave in every order): no erased model has a posting or can be found, no edited
     * model keeps a posting of its old title, and the counter says every title is indexed.
     */
    @Test
    void modelsErasedOrEditedDuringTheBackfillStayUnfindableUnderWhatTheyLost() throws Exception {
        int size = 120;
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(model(i, "Willow " + word(i)));
        }
        seedWithoutTitleIndex(entries);
        Set<Integer> erased = new HashSet<>();
        Set<Integer> edited = new HashSet<>();
        for (int i = 0; i < size; i++) {
            if (i % 5 == 0) {
                erased.add(i);
            } else if (i % 7 == 0) {
                edited.add(i);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<IndexBackfill.Report> run = pool.submit(() -> {
                go.await();
                return runTitleBackfill();
            });
            DynamoModelCatalog writer = new DynamoModelCatalog(dynamo, table);
            Future<?> changes = pool.submit(() -> {
                go.await();
                // From both ends, so that changes land before, during and after the backfill reaches each model.
                for (int k = 0; k < size / 2; k++) {
                    for (int i : List.of(k, size - 1 - k)) {
                        if (erased.contains(i)) {
                            writer.erase(entries.get(i).model().id());
                        } else if (edited.contains(i)) {
                            writer.save(model(i, "Renamed " + word(i + 5000)));
                        }
                    }
                }
                return null;
            });
            go.countDown();
            changes.get();
            run.get();
        } finally {
            pool.shutdown();
        }
        runTitleBackfill(); // whatever a race left behind, another run finds nothing to change

        catalog = new DynamoModelCatalog(dynamo, table);
        for (int i = 0; i < size; i++) {
            String id = entries.get(i).model().id();
            if (erased.contains(i)) {
                assertEquals(Set.of("MODEL"), itemsUnder(id, ""), "only the erased marker is left of " + id);
                if (i % 4 == 0) {
                    assertEquals(List.of(), search(word(i)), "erased " + id + " is not found");
                }
            } else if (edited.contains(i)) {
                assertEquals(postings("Renamed " + word(i + 5000)), itemsUnder(id, "GRAM#"), "postings of edited " + id);
                assertEquals(List.of(), search(word(i)), "edited " + id + " under its old title");
                assertEquals(List.of(id), search(word(i + 5000)), "edited " + id + " under its new title");
            } else if (i % 10 == 1) {
                assertEquals(List.of(id), search(word(i)), id);
            } else {
                assertEquals(postings("Willow " + word(i)), itemsUnder(id, "GRAM#"), "postings of " + id);
            }
        }
        assertEquals(allCounterValue("n"), allCounterValue("g"), "every remaining title is counted as indexed");
        assertEquals(size - erased.size(), Long.parseLong(allCounterValue("n")));
    }

    private static Set<String> postings(String title) {
        Set<String> want = new java.util.TreeSet<>();
        TitleGrams.of(title).forEach(g -> want.add("GRAM#" + g));
        return want;
    }

    private Set<String> itemsUnder(String id, String prefix) {
        Set<String> out = new java.util.TreeSet<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("MODEL#" + id))).consistentRead(true))
                .items().stream().map(i -> i.get("sk").s()).filter(sk -> sk.startsWith(prefix)).forEach(out::add);
        return out;
    }

    @Test
    void jobsFromBeforeTheJobListIndexAreListedAfterTheBackfillAndOtherwiseUntouched() {
        var pipeline = stack().pipeline;
        JobStore jobs = pipeline.context().getBean(JobStore.class);
        String jobsTable = pipeline.config().jobsTable();
        String key = "incoming/backfill/" + UUID.randomUUID() + ".wav";
        Job job = Job.queued(UUID.randomUUID().toString(), pipeline.bucket(), List.of(key),
                List.of(new Sample(key, null, 100, null)), ModelSpec.titled("from before the list index"), List.of(),
                Instant.now()); // the newest of the deployment's jobs, so the first page holds it
        assertTrue(jobs.createIfAbsent(job));
        Map<String, AttributeValue> jobKey = Map.of("jobId", AttributeValue.fromS(job.jobId()));
        dynamo.updateItem(b -> b.tableName(jobsTable).key(jobKey).updateExpression("REMOVE audience, createdKey"));
        Map<String, AttributeValue> old = dynamo.getItem(b -> b.tableName(jobsTable).key(jobKey)).item();
        assertFalse(listed(jobs, job.jobId()), "a job without the index keys is not listed");

        JobListIndexBackfill target = new JobListIndexBackfill(dynamo, jobsTable);
        IndexBackfill.Report r = backfill.run(target, false, p -> { });
        assertTrue(r.written() >= 1, r.describe());
        assertTrue(listed(jobs, job.jobId()), "listed after the backfill");
        Map<String, AttributeValue> now = dynamo.getItem(b -> b.tableName(jobsTable).key(jobKey)).item();
        assertEquals(old.get("body"), now.get("body"), "the job itself is unchanged");
        assertEquals(old.get("version"), now.get("version"), "its version too: a worker's compare-and-set holds");
        assertEquals("deployment", now.get("audience").s());
        assertTrue(now.get("createdKey").s().endsWith("#" + job.jobId()));

        assertEquals(0, backfill.run(target, false, p -> { }).written(), "a second run adds nothing");
        assertTrue(target.position().read().isEmpty());
        // Never sent to the worker: it must not be picked up by another test's resume of waiting jobs.
        dynamo.deleteItem(b -> b.tableName(jobsTable).key(jobKey));
    }

    private static boolean listed(JobStore jobs, String jobId) {
        return jobs.listNewest(null, 20, null).stream().anyMatch(j -> j.jobId().equals(jobId));
    }

    @Test
    void aJobsTableWithoutTheListIndexNeedsNoBackfill() {
        String name = "jobs-without-index-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("jobId").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("jobId").keyType(KeyType.HASH)));
        IndexBackfillTarget target = new JobListIndexBackfill(dynamo, name);
        IndexBackfill.Report r = backfill.run(target, false, p -> { });
        assertFalse(r.needed());
        assertTrue(r.describe().contains("nothing to backfill"), r.describe());
    }

    @Test
    void theOperatorCommandBackfillsTheDeploymentsTablesAndReportsEachIndex() {
        String report = new OpsCommand(stack().pipeline.context()).run("backfill-indexes");
        assertTrue(report.contains("title index"), report);
        assertTrue(report.contains("job list index byAudience"), report);
        // The local pipeline saves through today's code: its catalog has nothing to add.
        assertTrue(report.lines().filter(l -> l.startsWith("title index")).allMatch(l -> l.contains(" 0 added")),
                report);
        String restarted = new OpsCommand(stack().pipeline.context()).run("backfill-indexes", "--restart");
        assertTrue(restarted.contains(" 0 added"), restarted);
    }
}
