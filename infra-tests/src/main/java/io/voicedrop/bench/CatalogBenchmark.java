package io.voicedrop.bench;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.service.ListQueryParser;
import io.voicedrop.local.AwsEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Loads N models into the catalog table of an AWS emulator (moto by default; {@code --endpoint URL} for another)
 * and measures what each kind of {@code GET /fish/model} query costs: DynamoDB calls and items read per request
 * (query ScannedCount plus items fetched by GetItem/BatchGetItem, as counted by {@link DynamoModelCatalog}) and the
 * local latency, p50 and p99, of the catalog call (parameters parsed by {@link ListQueryParser} as the API does).
 *
 * <p>The table has the template's key schema ({@code pk}/{@code sk}, GSI {@code gsi1} on
 * {@code gsi1pk}/{@code gsi1sk}, projection ALL). Models are loaded with {@code BatchWriteItem} (25 items per call,
 * {@value #LOADERS} threads), using exactly the items {@link DynamoModelCatalog#save} writes
 * ({@link DynamoModelCatalog#bulkItems}), and the counters are written once at the end.
 *
 * <p>Usage: {@code CatalogBenchmark [--models 10000,100000] [--requests 30] [--endpoint URL]}. Latency is the
 * emulator's, not DynamoDB's: moto answers a GSI query by looking at every item of the table, so its latency grows
 * with the table while DynamoDB's does not. The items-read column is what DynamoDB would bill.
 */
public final class CatalogBenchmark {

    static final int LOADERS = 4;
    private static final String[] WORDS = {"narrator", "calm", "bright", "deep", "warm", "story", "news", "voice",
            "studio", "radio", "alpha", "nova", "echo", "amber", "river", "cedar"};
    private static final String[] TAGS = {"narration", "news", "podcast", "audiobook", "ads", "games", "demo",
            "kids", "asmr", "doc"};
    private static final String[] LANGS = {"en", "en", "en", "zh", "ja", "de", "fr", "es"};

    private CatalogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 100_000);
        int requests = 30;
        String endpoint = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Integer::parseInt).toList();
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--endpoint" -> endpoint = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.println("VoiceDrop catalog benchmark: " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version"));
        for (int size : sizes) {
            try (AwsEmulator emulator = AwsEmulator.start(endpoint)) {
                run(emulator, size, requests);
            }
        }
    }

    static void run(AwsEmulator emulator, int size, int requests) throws Exception {
        VoiceDropConfig config = VoiceDropConfig.from(Map.of("BUCKET_NAME", "-", "JOBS_TABLE", "-",
                "MODELS_TABLE", "bench-models-" + size, "API_KEYS_TABLE", "-", "JOBS_QUEUE_URL", "-",
                "AWS_ENDPOINT_URL", emulator.endpoint().toString(), "AWS_REGION", "us-east-1"));
        DynamoDbClient dynamo = client(emulator);
        String table = config.modelsTable();
        createTable(dynamo, table);
        System.out.println();
        System.out.println("== " + size + " models (" + emulator.name() + ")");
        Instant t0 = Instant.now();
        long items = load(dynamo, table, size);
        Duration loadTime = Duration.between(t0, Instant.now());
        System.out.printf(Locale.ROOT, "load: %d models, %d items, %.1f s (%.0f models/s)%n", size, items,
                loadTime.toMillis() / 1000.0, size / Math.max(0.001, loadTime.toMillis() / 1000.0));
        DynamoModelCatalog catalog = new DynamoModelCatalog(dynamo, table);
        int deep = Math.max(2, Math.min(size / 10 / 2, 500));
        System.out.println("query kind                              | requests | calls/req | items read/req | p50 ms "
                + "| p99 ms | total");
        System.out.println("----------------------------------------|----------|-----------|----------------|--------"
                + "|--------|------");
        measure(catalog, "unfiltered page 1", "page_size=10", requests);
        measure(catalog, "unfiltered page 1, page_size=100", "page_size=100", requests);
        measure(catalog, "deep page " + deep + " (cold: first visit)", "page_size=10&page_number=" + deep, 1);
        measure(catalog, "deep page " + deep + " (warm)", "page_size=10&page_number=" + deep, requests);
        measure(catalog, "deep page " + (deep + 7) + " (warm, near a checkpoint)",
                "page_size=10&page_number=" + (deep + 7), requests);
        measure(catalog, "tag=podcast page 1", "tag=podcast", requests);
        measure(catalog, "tag=podcast page 20", "tag=podcast&page_number=20", requests);
        measure(catalog, "language=ja page 1", "language=ja", requests);
        measure(catalog, "author_id page 1", "author_id=author-007", requests);
        measure(catalog, "title_language=en page 1", "title_language=en", requests);
        measure(catalog, "title search (cold)", "title=amber%20river", 1);
        measure(catalog, "title search (warm, same query)", "title=amber%20river", requests);
        measure(catalog, "title search page 3 (warm)", "title=amber%20river&page_number=3", requests);
        measure(catalog, "tag=news&tag=kids (cold)", "tag=news&tag=kids", 1);
        measure(catalog, "tag=news&tag=kids (warm)", "tag=news&tag=kids", requests);
    }

    /**
     * A client for the emulator. moto answers a GSI query by reading the whole table: at 100k models one call can
     * take longer than the SDK's default read timeout, so the benchmark's client waits up to 10 minutes per call.
     */
    static DynamoDbClient client(AwsEmulator emulator) {
        return DynamoDbClient.builder().endpointOverride(emulator.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofMinutes(10)).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(30))
                        .apiCallAttemptTimeout(Duration.ofMinutes(10)))
                .build();
    }

    static void measure(DynamoModelCatalog catalog, String label, String query, int requests) {
        ListQuery q = ListQueryParser.parse(parse(query));
        long[] latencies = new long[requests];
        long calls = 0;
        long read = 0;
        ModelPage page = null;
        for (int i = 0; i < requests; i++) {
            DynamoModelCatalog.ReadCost before = catalog.readCost();
            long start = System.nanoTime();
            page = catalog.list(q);
            latencies[i] = System.nanoTime() - start;
            DynamoModelCatalog.ReadCost cost = catalog.readCost().minus(before);
            calls += cost.calls();
            read += cost.itemsRead();
        }
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "%-40s| %8d | %9.1f | %14.1f | %6.1f | %6.1f | %d%s%n", label, requests,
                (double) calls / requests, (double) read / requests, latencies[(requests - 1) / 2] / 1e6,
                latencies[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)] / 1e6, page.total(),
                page.totalIsExact() ? "" : " (inexact)");
    }

    static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            p.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>())
                    .add(java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }

    public static void createTable(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("gsi1pk"), attr("gsi1sk"))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("gsi1")
                        .keySchema(k -> k.attributeName("gsi1pk").keyType(KeyType.HASH),
                                k -> k.attributeName("gsi1sk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    /** A plausible model: 1-2 tags out of 10, one language, one of 50 authors, a two-word title. */
    public static CatalogEntry model(int i) {
        java.util.Random r = new java.util.Random(i);
        String id = String.format(Locale.ROOT, "%032x", (long) i * 2654435761L);
        String title = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " " + i;
        List<String> tags = r.nextBoolean() ? List.of(TAGS[r.nextInt(TAGS.length)])
                : List.of(TAGS[r.nextInt(TAGS.length)], TAGS[r.nextInt(TAGS.length)]);
        String lang = LANGS[r.nextInt(LANGS.length)];
        String created = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i * 37L).toString();
        ModelEntity m = new ModelEntity(id, "tts", title, "benchmark model", "", "fast", "trained",
                tags.stream().distinct().toList(), List.of(new ModelEntity.SampleEntity("s", "text", "task-" + i, "")),
                created, created, List.of(lang), "private", false, 0, 0, 0, r.nextInt(100), false, false,
                new ModelEntity.Author(String.format(Locale.ROOT, "author-%03d", r.nextInt(50)), "bench", ""));
        return new CatalogEntry(m, "job-" + i, List.of("incoming/bench/" + i + ".wav"), null);
    }

    static long load(DynamoDbClient dynamo, String table, int size) throws Exception {
        List<CatalogEntry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            entries.add(model(i));
        }
        return load(dynamo, table, entries);
    }

    /**
     * Writes the entries straight as the catalog's items and counters ({@link DynamoModelCatalog#bulkItems}), with
     * {@code BatchWriteItem} from {@value #LOADERS} threads: an empty table filled far faster than model by model.
     * Returns how many items were written.
     */
    public static long load(DynamoDbClient dynamo, String table, List<CatalogEntry> entries) throws Exception {
        int size = entries.size();
        Map<String, AtomicLong> counters = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
        List<Future<?>> done = new ArrayList<>();
        int chunk = (size + LOADERS - 1) / LOADERS;
        for (int t = 0; t < LOADERS; t++) {
            int from = t * chunk;
            int to = Math.min(size, from + chunk);
            done.add(pool.submit(() -> {
                List<WriteRequest> batch = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    DynamoModelCatalog.BulkItems b = DynamoModelCatalog.bulkItems(entries.get(i));
                    b.partitions().forEach(p -> counters.computeIfAbsent(p, k -> new AtomicLong()).incrementAndGet());
                    for (Map<String, AttributeValue> item : b.items()) {
                        batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                        if (batch.size() == 25) {
                            write(dynamo, table, batch);
                            written.addAndGet(25);
                            batch = new ArrayList<>();
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    write(dynamo, table, batch);
                    written.addAndGet(batch.size());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<WriteRequest> batch = new ArrayList<>();
        for (Map.Entry<String, AtomicLong> c : counters.entrySet()) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(DynamoModelCatalog.counterItem(c.getKey(), c.getValue().get())).build()).build());
            if (batch.size() == 25) {
                write(dynamo, table, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            write(dynamo, table, batch);
        }
        return written.get() + counters.size();
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, batch));
        for (int round = 0; !pending.isEmpty(); round++) {
            Map<String, List<WriteRequest>> req = pending;
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(req));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            if (round > 20) {
                throw new IllegalStateException("BatchWriteItem keeps returning unprocessed items");
            }
        }
    }
}
