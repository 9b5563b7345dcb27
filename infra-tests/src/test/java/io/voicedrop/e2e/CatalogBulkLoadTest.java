package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.bench.CatalogBenchmark;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The benchmarks' bulk loader ({@code BatchWriteItem} of pre-built items) must leave the table exactly as the save
 * path does, or the figures measured on it would not be VoiceDrop's: the same models, one table loaded in bulk and
 * one saved model by model, hold the same items, counters included.
 */
class CatalogBulkLoadTest {

    @Test
    void bulkLoadedModelsAreItemForItemWhatTheSavePathWrites() throws Exception {
        DynamoDbClient dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        String bulk = "bulk-load-" + UUID.randomUUID();
        String saved = "saved-" + UUID.randomUUID();
        CatalogBenchmark.createTable(dynamo, bulk);
        CatalogBenchmark.createTable(dynamo, saved);
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            entries.add(CatalogBenchmark.model(i)); // the benchmark's own models: tags, languages, authors
        }
        // And the corners: a title too long to post (gramless), no tags, many tags, an empty title.
        entries.add(entry("long-title", "A very long title that goes on and on, well past the sixty grams a model "
                + "is posted under, surely", List.of()));
        entries.add(entry("many-tags", "Tagged", List.of("a", "b", "c", "d", "e", "f", "g", "h")));
        entries.add(entry("untitled", "", List.of("a")));

        long written = CatalogBenchmark.load(dynamo, bulk, entries);
        DynamoModelCatalog catalog = new DynamoModelCatalog(dynamo, saved);
        entries.forEach(catalog::save);

        Map<String, Map<String, AttributeValue>> fromBulk = items(dynamo, bulk);
        Map<String, Map<String, AttributeValue>> fromSaves = items(dynamo, saved);
        assertEquals(fromSaves.keySet(), fromBulk.keySet(), "the same items");
        for (String key : fromSaves.keySet()) {
            assertEquals(fromSaves.get(key), fromBulk.get(key), key);
        }
        assertEquals(fromBulk.size(), written, "the loader counts what it wrote");
        assertTrue(fromBulk.keySet().stream().anyMatch(k -> k.endsWith(" GRAMLESS")), "the corners were loaded");
    }

    private static CatalogEntry entry(String id, String title, List<String> tags) {
        String created = Instant.parse("2026-05-01T00:00:00Z").toString();
        ModelEntity m = new ModelEntity(id, "tts", title, "", "", "fast", "trained", tags, List.of(), created,
                created, List.of("en"), "private", false, 0, 0, 0, 0, false, false,
                new ModelEntity.Author(String.format(Locale.ROOT, "author-%s", id), "n", ""));
        return new CatalogEntry(m, "job-" + id, List.of("incoming/" + id + ".wav"), null);
    }

    private static Map<String, Map<String, AttributeValue>> items(DynamoDbClient dynamo, String table) {
        Map<String, Map<String, AttributeValue>> all = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(i -> all.put(i.get("pk").s() + " " + i.get("sk").s(), i));
        return all;
    }
}
