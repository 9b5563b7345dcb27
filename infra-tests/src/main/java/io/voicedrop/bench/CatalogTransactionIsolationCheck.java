package io.voicedrop.bench;

import io.voicedrop.local.AwsEmulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Does an emulator isolate concurrent {@code TransactWriteItems}? The catalog's counters are only as exact as that.
 *
 * <p>The check is the catalog's save protocol reduced to two items: every writer reads a version item (consistent
 * read), then in one transaction sets {@code v = v + 1} on condition that {@code v} is still what it read and adds 1
 * to a counter item; a cancelled transaction is re-read and retried. On DynamoDB, whose transactions are
 * serializable, the final version, the final counter and the number of acknowledged transactions are always equal,
 * however many writers race. A difference means the emulator applied part of a transaction, or undid another one,
 * while they ran concurrently. The same writers run a second time with every call serialized on the client: if
 * that round is exact, the protocol is right and the emulator's concurrency is what broke the first round.
 *
 * <p>Ballast items make the table the size of a catalog test table (moto copies the whole table at the start of
 * every transaction to roll back from).
 *
 * <p>Usage: {@code CatalogTransactionIsolationCheck [--threads 8] [--increments 25] [--rounds 3] [--endpoint URL]};
 * {@code scripts/bench-catalog.sh --isolation-check} runs it. Exit code 1 when a concurrent round drifted.
 */
public final class CatalogTransactionIsolationCheck {

    private static final Map<String, AttributeValue> VERSION = key("CHECK", "VERSION");
    private static final Map<String, AttributeValue> COUNTER = key("CHECK", "COUNTER");
    private static final int BALLAST = 300;

    private CatalogTransactionIsolationCheck() {
    }

    /** One round: what the writers were told, and what the table says afterwards. */
    public record Outcome(String mode, long acknowledged, long version, long counter, long retries) {
        public boolean exact() {
            return acknowledged == version && version == counter;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%-22s acknowledged=%d version=%d counter=%d retries=%d -> %s", mode, acknowledged, version,
                    counter, retries, exact() ? "exact" : "DRIFT (not isolated)");
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = 8;
        int increments = 25;
        int rounds = 3;
        String endpoint = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--increments" -> increments = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--endpoint" -> endpoint = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        boolean drift = false;
        try (AwsEmulator emulator = AwsEmulator.start(endpoint)) {
            DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(emulator.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .build();
            System.out.println("TransactWriteItems isolation on " + emulator.name() + ": " + threads
                    + " writers x " + increments + " conditional increments per round, " + BALLAST
                    + " ballast items");
            for (int r = 1; r <= rounds; r++) {
                Outcome concurrent = run(dynamo, "iso-" + r + "-concurrent", threads, increments, false);
                Outcome serialized = run(dynamo, "iso-" + r + "-serialized", threads, increments, true);
                System.out.println("round " + r + ": " + concurrent);
                System.out.println("round " + r + ": " + serialized);
                drift |= !concurrent.exact();
                if (!serialized.exact()) {
                    System.out.println("the serialized round drifted too: the protocol itself is wrong");
                    System.exit(2);
                }
            }
        }
        System.exit(drift ? 1 : 0);
    }

    /** Runs the writers against a fresh table; {@code serialized} puts every call under one client-side lock. */
    public static Outcome run(DynamoDbClient dynamo, String table, int threads, int increments, boolean serialized)
            throws Exception {
        CatalogBenchmark.createTable(dynamo, table);
        for (int i = 0; i < BALLAST; i++) {
            Map<String, AttributeValue> item = new HashMap<>(key("BALLAST#" + i, "MODEL"));
            item.put("body", AttributeValue.fromS("x".repeat(400)));
            dynamo.putItem(b -> b.tableName(table).item(item));
        }
        dynamo.putItem(b -> b.tableName(table).item(with(VERSION, "v", 0)));
        dynamo.putItem(b -> b.tableName(table).item(with(COUNTER, "n", 0)));
        ReentrantLock lock = new ReentrantLock();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < increments; i++) {
                    while (true) {
                        long v = call(lock, serialized, () -> Long.parseLong(dynamo.getItem(b -> b.tableName(table)
                                .key(VERSION).consistentRead(true)).item().get("v").n()));
                        try {
                            call(lock, serialized, () -> dynamo.transactWriteItems(b -> b.transactItems(
                                    w -> w.update(u -> u.tableName(table).key(VERSION)
                                            .updateExpression("SET v = :next").conditionExpression("v = :v")
                                            .expressionAttributeValues(Map.of(
                                                    ":v", AttributeValue.fromN(Long.toString(v)),
                                                    ":next", AttributeValue.fromN(Long.toString(v + 1))))),
                                    w -> w.update(u -> u.tableName(table).key(COUNTER)
                                            .updateExpression("ADD n :one")
                                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))))));
                            acknowledged.incrementAndGet();
                            break;
                        } catch (TransactionCanceledException raced) {
                            retries.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        pool.shutdown();
        long version = number(dynamo, table, VERSION, "v");
        long counter = number(dynamo, table, COUNTER, "n");
        dynamo.deleteTable(b -> b.tableName(table));
        return new Outcome(serialized ? "serialized calls:" : "concurrent calls:", acknowledged.get(), version,
                counter, retries.get());
    }

    private static <T> T call(ReentrantLock lock, boolean serialized, Supplier<T> call) {
        if (!serialized) {
            return call.get();
        }
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    private static long number(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key, String name) {
        return Long.parseLong(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item().get(name)
                .n());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, String name, long value) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(name, AttributeValue.fromN(Long.toString(value)));
        return item;
    }
}
