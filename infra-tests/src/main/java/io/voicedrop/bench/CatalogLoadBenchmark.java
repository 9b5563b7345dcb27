package io.voicedrop.bench;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.service.ListQueryParser;
import io.voicedrop.local.AwsEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The catalog under load: {@code clients} threads, each one like an API instance (its own
 * {@link DynamoModelCatalog}, all on one table and its shared cache items), send {@code GET /fish/model} queries back
 * to back for {@code seconds}, mixing first pages, filters, deep pages, title searches and combined filters, against
 * N models bulk-loaded into the emulator. Prints, per request kind and in all: requests, p50/p95/p99 latency,
 * DynamoDB calls and items read per request (what DynamoDB would bill; counted by each client's catalog), errors;
 * and requests per second.
 *
 * <p>Nothing else touches the emulator while the clients run: no polling, no checks; the figures are collected in
 * the clients' own memory. Latency is the emulator's (moto reads the whole table for every index query, so it grows
 * with the table); items read per request are what carries over to DynamoDB.
 *
 * <p>Usage: {@code CatalogLoadBenchmark [--models 100000] [--clients 20] [--seconds 60] [--endpoint URL]};
 * {@code --seconds 0} only loads (to measure what loading costs the emulator: time and memory).
 */
public final class CatalogLoadBenchmark {

    private static final String[] WORDS = {"narrator", "calm", "bright", "deep", "warm", "story", "news", "voice",
            "studio", "radio", "alpha", "nova", "echo", "amber", "river", "cedar"};
    private static final String[] TAGS = {"narration", "news", "podcast", "audiobook", "ads", "games", "demo",
            "kids", "asmr", "doc"};
    private static final String[] LANGS = {"en", "zh", "ja", "de", "fr", "es"};

    private CatalogLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int models = 100_000;
        int clients = 20;
        int seconds = 60;
        String endpoint = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--endpoint" -> endpoint = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.println("VoiceDrop catalog under load: Java " + System.getProperty("java.version") + ", "
                + Machine.loadAverage());
        try (AwsEmulator emulator = AwsEmulator.start(endpoint)) {
            DynamoDbClient dynamo = CatalogBenchmark.client(emulator);
            String table = "bench-load-" + models;
            CatalogBenchmark.createTable(dynamo, table);
            Instant t0 = Instant.now();
            long items = CatalogBenchmark.load(dynamo, table, models);
            double loadSeconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%d models (%s): %d items loaded in %.1f s (%.0f models/s, %.0f items/s); "
                    + "emulator memory %s%n", models, emulator.name(), items, loadSeconds,
                    models / Math.max(0.001, loadSeconds), items / Math.max(0.001, loadSeconds),
                    Machine.processMemory(emulator.processId()));
            if (seconds > 0) {
                run(dynamo, table, models, clients, seconds);
                System.out.println("emulator memory at the end: " + Machine.processMemory(emulator.processId()));
            }
        }
    }

    /** One request's outcome; {@code end} on {@link System#nanoTime}'s clock. */
    private record Sample(String kind, long nanos, long calls, long itemsRead, boolean error, long end) {
    }

    static void run(DynamoDbClient dynamo, String table, int models, int clients, int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "%d clients for %d s, before: %s%n", clients, seconds, Machine.loadAverage());
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "catalog-client");
            t.setDaemon(true); // a request still in flight at the end must not keep the benchmark alive
            return t;
        });
        Queue<Sample> samples = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> client(new DynamoModelCatalog(dynamo, table), new Random(client), models,
                    deadline, samples)));
        }
        // Requests started before the deadline may finish for as long again; any still running then are counted.
        long graceEnd = deadline + seconds * 1_000_000_000L;
        long unfinished = 0;
        for (Future<?> f : done) {
            try {
                f.get(Math.max(0, graceEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillRunning) {
                unfinished++;
            }
        }
        pool.shutdownNow();
        List<Sample> all = new ArrayList<>(samples);
        String loadAfter = Machine.loadAverage();
        Map<String, List<Sample>> byKind = new TreeMap<>();
        all.forEach(s -> byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s));
        System.out.println("request kind                 | requests | p50 ms | p95 ms | p99 ms | calls/req "
                + "| items read/req (max) | errors");
        System.out.println("-----------------------------|----------|--------|--------|--------|-----------"
                + "|----------------------|-------");
        byKind.forEach(CatalogLoadBenchmark::print);
        print("all", all);
        long errors = all.stream().filter(Sample::error).count();
        long inWindow = all.stream().filter(x -> x.end() <= deadline).count();
        double lastEnd = (all.stream().mapToLong(Sample::end).max().orElse(start) - start) / 1e9;
        System.out.printf(Locale.ROOT, "%d requests done within the %d s: %.2f requests/s; %d done in all (the last "
                + "%.0f s after the start), %d still running %d s after the end (not counted); %d errors; after: "
                + "%s%n", inWindow, seconds, inWindow / (double) seconds, all.size(), lastEnd,
                unfinished, seconds, errors, loadAfter);
    }

    private static void client(DynamoModelCatalog catalog, Random r, int models, long deadline,
                               Queue<Sample> samples) {
        while (System.nanoTime() < deadline) {
            String[] request = request(r, models);
            DynamoModelCatalog.ReadCost before = catalog.readCost();
            long start = System.nanoTime();
            boolean error = false;
            try {
                ListQuery q = ListQueryParser.parse(CatalogBenchmark.parse(request[1]));
                ModelPage page = catalog.list(q);
                if (page == null) {
                    error = true;
                }
            } catch (RuntimeException e) {
                error = true;
                System.err.println(request[0] + " " + request[1] + ": " + e);
            }
            long nanos = System.nanoTime() - start;
            DynamoModelCatalog.ReadCost cost = catalog.readCost().minus(before);
            samples.add(new Sample(request[0], nanos, cost.calls(), cost.itemsRead(), error, System.nanoTime()));
        }
    }

    /** A request kind and its query string, in the mix a busy console and API clients send. */
    private static String[] request(Random r, int models) {
        int pick = r.nextInt(100);
        String tag = TAGS[r.nextInt(TAGS.length)];
        if (pick < 15) {
            return new String[] {"page 1", "page_size=" + (r.nextBoolean() ? 10 : 100)};
        }
        if (pick < 35) {
            return switch (r.nextInt(4)) {
                case 0 -> new String[] {"filter page 1", "tag=" + tag};
                case 1 -> new String[] {"filter page 1", "language=" + LANGS[r.nextInt(LANGS.length)]};
                case 2 -> new String[] {"filter page 1", String.format(Locale.ROOT, "author_id=author-%03d",
                        r.nextInt(50))};
                default -> new String[] {"filter page 1", "title_language=en"};
            };
        }
        if (pick < 55) {
            int deepest = Math.max(2, Math.min(models / 10, 1000));
            return r.nextBoolean() ? new String[] {"deep page", "page_number=" + (2 + r.nextInt(deepest - 1))}
                    : new String[] {"deep page (tag)", "tag=" + tag + "&page_number=" + (2 + r.nextInt(50))};
        }
        if (pick < 85) {
            String title = switch (r.nextInt(3)) {
                case 0 -> WORDS[r.nextInt(WORDS.length)];
                case 1 -> WORDS[r.nextInt(WORDS.length)] + "%20" + WORDS[r.nextInt(WORDS.length)];
                default -> Integer.toString(r.nextInt(models)); // one model (and those whose number contains it)
            };
            return new String[] {"title search", "title=" + title + "&page_number=" + (1 + r.nextInt(3))};
        }
        return r.nextBoolean()
                ? new String[] {"title + tag", "title=" + WORDS[r.nextInt(WORDS.length)] + "&tag=" + tag}
                : new String[] {"two tags", "tag=" + tag + "&tag=" + TAGS[r.nextInt(TAGS.length)]};
    }

    private static void print(String kind, List<Sample> samples) {
        List<Long> nanos = new ArrayList<>(samples.stream().map(Sample::nanos).toList());
        Collections.sort(nanos);
        double calls = samples.stream().mapToLong(Sample::calls).average().orElse(0);
        double read = samples.stream().mapToLong(Sample::itemsRead).average().orElse(0);
        long maxRead = samples.stream().mapToLong(Sample::itemsRead).max().orElse(0);
        long errors = samples.stream().filter(Sample::error).count();
        System.out.printf(Locale.ROOT, "%-29s| %8d | %6.0f | %6.0f | %6.0f | %9.1f | %11.1f (%6d) | %d%n", kind,
                samples.size(), pct(nanos, 0.50), pct(nanos, 0.95), pct(nanos, 0.99), calls, read, maxRead, errors);
    }

    private static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1)) / 1e6;
    }
}
