package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.config.VoiceDropConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The catalog benchmark runs moto with indexed queries ({@code VOICEDROP_MOTO_INDEXED_QUERIES}, moto_launcher.py):
 * a Query is handed only its partition's items instead of the whole table. Its figures are only worth reading if
 * every answer is the one plain moto gives. The same seeded mix of writes (puts, updates that move, add or remove an
 * item's index key, deletes, transactions, cancelled ones among them, and batch writes) goes to a plain and a
 * patched moto, on a table with the catalog's key schema, and after every few writes the same queries (table and
 * index, every range condition the catalog uses, both directions, limits, filters, projections, page after page)
 * must give the same items in the same order, the same LastEvaluatedKey and the same counts.
 */
class IndexedQueriesEquivalenceTest {

    private static final String TABLE = "catalog";
    private static MotoServer plain;
    private static MotoServer indexed;
    private static DynamoDbClient plainDb;
    private static DynamoDbClient indexedDb;

    @BeforeAll
    static void start() {
        plain = MotoServer.start();
        indexed = MotoServer.start(Map.of("VOICEDROP_MOTO_INDEXED_QUERIES", "true"));
        plainDb = client(plain);
        indexedDb = client(indexed);
        for (DynamoDbClient db : List.of(plainDb, indexedDb)) {
            db.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("gsi1pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("gsi1sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gsi1")
                            .keySchema(k -> k.attributeName("gsi1pk").keyType(KeyType.HASH),
                                    k -> k.attributeName("gsi1sk").keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        }
    }

    @AfterAll
    static void stop() {
        for (MotoServer m : new MotoServer[] {plain, indexed}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Test
    void onlyThePatchedServerRunsIndexedQueries() throws Exception {
        assertTrue(Files.readString(indexed.log()).contains("moto: indexed queries"), "the option must be on");
        assertFalse(Files.readString(plain.log()).contains("moto: indexed queries"), "and off by default");
    }

    @Test
    void everyQueryAnswersAsPlainMotoDoesWhileTheTableChanges() {
        Random random = new Random(20261204L);
        int queries = 0;
        for (int round = 0; round < 12; round++) {
            for (int w = 0; w < 25; w++) {
                write(random);
            }
            for (int q = 0; q < 30; q++) {
                queries += compare(query(random));
            }
        }
        assertTrue(queries > 360, "pages compared: " + queries);
    }

    @Test
    void aPageThatReachesOneMegabyteEndsWhereItDoesOnPlainMoto() {
        String big = "x".repeat(150_000);
        for (int i = 0; i < 12; i++) {
            Map<String, AttributeValue> item = item("big", String.format("s%02d", i), "gbig", String.format("k%02d", i),
                    i);
            item.put("payload", s(big));
            both(db -> db.putItem(p -> p.tableName(TABLE).item(item)));
        }
        int pages = compare(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("big"))).build());
        pages += compare(QueryRequest.builder().tableName(TABLE).indexName("gsi1")
                .keyConditionExpression("gsi1pk = :p AND gsi1sk >= :k")
                .expressionAttributeValues(Map.of(":p", s("gbig"), ":k", s("k03"))).build());
        assertTrue(pages >= 4, "12 items of 150 kB cannot come back in one page each way: " + pages);
    }

    // -- writes -------------------------------------------------------------------------------------------------

    private static void write(Random r) {
        int kind = r.nextInt(100);
        if (kind < 40) {
            Map<String, AttributeValue> item = randomItem(r);
            both(db -> db.putItem(p -> p.tableName(TABLE).item(item)));
        } else if (kind < 65) {
            update(r);
        } else if (kind < 80) {
            Map<String, AttributeValue> key = randomKey(r);
            both(db -> db.deleteItem(d -> d.tableName(TABLE).key(key)));
        } else if (kind < 90) {
            transact(r);
        } else {
            batch(r);
        }
    }

    private static void update(Random r) {
        Map<String, AttributeValue> key = randomKey(r);
        // Drawn once, outside the calls: each call runs once per server and must send the same values to both.
        Map<String, AttributeValue> moved = Map.of(":g", s(gsi(r)), ":k", s(gsiSort(r)), ":n", n(r.nextInt(50)));
        Map<String, AttributeValue> counted = Map.of(":n", n(r.nextInt(50)));
        switch (r.nextInt(3)) {
            case 0 -> both(db -> db.updateItem(u -> u.tableName(TABLE).key(key)
                    .updateExpression("SET gsi1pk = :g, gsi1sk = :k, n = :n").expressionAttributeValues(moved)));
            case 1 -> both(db -> db.updateItem(u -> u.tableName(TABLE).key(key).updateExpression("REMOVE gsi1pk")));
            default -> both(db -> db.updateItem(u -> u.tableName(TABLE).key(key)
                    .updateExpression("SET n = :n").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(counted)));
        }
    }

    private static void transact(Random r) {
        Map<String, AttributeValue> a = randomItem(r);
        Map<String, AttributeValue> b = randomItem(r);
        if (a.get("pk").equals(b.get("pk")) && a.get("sk").equals(b.get("sk"))) {
            return; // DynamoDB refuses two actions on one item
        }
        Map<String, AttributeValue> checked = randomKey(r);
        if (checked.equals(keyOf(a)) || checked.equals(keyOf(b))) {
            checked = Map.of("pk", s("elsewhere"), "sk", s("none"));
        }
        Map<String, AttributeValue> condition = checked;
        // Cancelled when the checked item exists: the two puts must then leave no trace in either index.
        both(db -> db.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(a)).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(b)).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(condition)
                        .conditionExpression("attribute_not_exists(pk)")).build())));
    }

    private static void batch(Random r) {
        Map<Map<String, AttributeValue>, WriteRequest> requests = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            if (r.nextBoolean()) {
                Map<String, AttributeValue> item = randomItem(r);
                requests.put(keyOf(item), WriteRequest.builder().putRequest(PutRequest.builder().item(item).build())
                        .build());
            } else {
                Map<String, AttributeValue> key = randomKey(r);
                requests.put(key, WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
            }
        }
        List<WriteRequest> list = new ArrayList<>(requests.values());
        both(db -> db.batchWriteItem(b -> b.requestItems(Map.of(TABLE, list))));
    }

    /** The same call on both servers: both must succeed, or both fail the same way. */
    private static void both(Function<DynamoDbClient, ?> call) {
        String onPlain = outcome(plainDb, call);
        String onIndexed = outcome(indexedDb, call);
        assertEquals(onPlain, onIndexed);
    }

    private static String outcome(DynamoDbClient db, Function<DynamoDbClient, ?> call) {
        try {
            call.apply(db);
            return "ok";
        } catch (SdkException e) {
            return e.getClass().getSimpleName();
        }
    }

    // -- queries ------------------------------------------------------------------------------------------------

    private static QueryRequest query(Random r) {
        boolean index = r.nextBoolean();
        String hashAttr = index ? "gsi1pk" : "pk";
        String rangeAttr = index ? "gsi1sk" : "sk";
        String hash = index ? gsi(r) : pk(r);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":h", s(hash)));
        String condition = hashAttr + " = :h";
        String a = index ? gsiSort(r) : sk(r);
        String b = index ? gsiSort(r) : sk(r);
        if (a.compareTo(b) > 0) {
            String t = a;
            a = b;
            b = t;
        }
        switch (r.nextInt(8)) {
            case 0 -> { }
            case 1 -> condition += " AND " + rangeAttr + " = :a";
            case 2 -> condition += " AND " + rangeAttr + " < :a";
            case 3 -> condition += " AND " + rangeAttr + " <= :a";
            case 4 -> condition += " AND " + rangeAttr + " > :a";
            case 5 -> condition += " AND " + rangeAttr + " >= :a";
            case 6 -> {
                condition += " AND " + rangeAttr + " BETWEEN :a AND :b";
                values.put(":b", s(b));
            }
            default -> {
                condition += " AND begins_with(" + rangeAttr + ", :a)";
                a = a.substring(0, 3); // "t#1" matches t#1 and t#10-t#19
            }
        }
        if (condition.contains(":a")) {
            values.put(":a", s(a));
        }
        QueryRequest.Builder q = QueryRequest.builder().tableName(TABLE).keyConditionExpression(condition)
                .scanIndexForward(r.nextBoolean());
        if (index) {
            q.indexName("gsi1");
        }
        int limit = r.nextInt(5);
        if (limit > 0) {
            q.limit(new int[] {1, 2, 3, 7}[limit - 1]);
        }
        if (r.nextInt(4) == 0) {
            q.filterExpression("n > :n");
            values.put(":n", n(20));
        }
        if (r.nextInt(4) == 0) {
            q.projectionExpression("pk, sk, gsi1pk, n");
        }
        return q.expressionAttributeValues(values).build();
    }

    /** Page through both servers side by side; returns the pages compared. */
    private static int compare(QueryRequest request) {
        QueryRequest page = request;
        for (int pages = 1; ; pages++) {
            QueryResponse expected = plainDb.query(page);
            QueryResponse actual = indexedDb.query(page);
            String where = request + ", page " + pages;
            assertEquals(expected.items(), actual.items(), where);
            assertEquals(expected.lastEvaluatedKey(), actual.lastEvaluatedKey(), where);
            assertEquals(expected.count(), actual.count(), where);
            assertEquals(expected.scannedCount(), actual.scannedCount(), where);
            if (!expected.hasLastEvaluatedKey() || expected.lastEvaluatedKey().isEmpty()) {
                return pages;
            }
            page = page.toBuilder().exclusiveStartKey(expected.lastEvaluatedKey()).build();
        }
    }

    // -- data ---------------------------------------------------------------------------------------------------

    private static Map<String, AttributeValue> randomItem(Random r) {
        Map<String, AttributeValue> item = item(pk(r), sk(r), r.nextInt(5) == 0 ? null : gsi(r), gsiSort(r),
                r.nextInt(50));
        if (r.nextInt(8) == 0) {
            item.remove("gsi1sk"); // not in the index at all
        }
        return item;
    }

    private static Map<String, AttributeValue> item(String pk, String sk, String gsi, String gsiSort, int n) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(pk), "sk", s(sk), "n", n(n),
                "gsi1sk", s(gsiSort)));
        if (gsi != null) {
            item.put("gsi1pk", s(gsi));
        }
        return item;
    }

    private static Map<String, AttributeValue> randomKey(Random r) {
        return Map.of("pk", s(pk(r)), "sk", s(sk(r)));
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    private static String pk(Random r) {
        return "p" + r.nextInt(4);
    }

    // Shared prefixes (t#1, t#10, t#100) and ties between index sort keys exercise the ordering moto applies.
    private static String sk(Random r) {
        return "t#" + r.nextInt(40);
    }

    private static String gsi(Random r) {
        return "g" + r.nextInt(3);
    }

    private static String gsiSort(Random r) {
        return "k#" + r.nextInt(15);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(int v) {
        return AttributeValue.builder().n(Integer.toString(v)).build();
    }

    private static DynamoDbClient client(MotoServer moto) {
        return new AwsClients(VoiceDropConfig.from(Map.of("BUCKET_NAME", "b", "JOBS_TABLE", "-", "MODELS_TABLE", "-",
                "API_KEYS_TABLE", "-", "JOBS_QUEUE_URL", "-", "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_REGION", "us-east-1"))).dynamoDb();
    }
}
