package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.aws.BackfillPositions;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.port.IndexBackfillTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Posts the titles of models saved before the title index existed ({@link TitlePostings}), so that title search
 * can use the index ({@code ALL}'s {@code g} reaches {@code n}) instead of scanning.
 *
 * <p>A page is one {@code Scan} of the table for main items without a title state ({@code gt}) that are not erased.
 * Each such model is read again (consistently) and gets, in one transaction conditional on the version just read:
 * its postings (or its gramless item), the title state on its main item with the version raised, and {@code g} on
 * the {@code ALL} counter raised by one. That is the change a save makes to a model it finds unindexed, without
 * rewriting the rest of the model, so the backfill never undoes an edit. Against concurrent writers:
 * <ul>
 *   <li>a save or edit that commits first raises the version: the transaction is cancelled, the model is read
 *       again, and a save has already indexed it (it indexes every model it finds unindexed): skipped;</li>
 *   <li>a save that read the model before the backfill committed finds the version raised and retries, then sees
 *       the postings and replaces them as for any title change: no stale posting stays;</li>
 *   <li>an erasure that commits first leaves an erased marker: skipped, so no posting of an erased model is ever
 *       written; one that commits after reads the postings from the main item and deletes them.</li>
 * </ul>
 */
public final class TitleIndexBackfill implements IndexBackfillTarget {

    private static final Logger LOG = LoggerFactory.getLogger(TitleIndexBackfill.class);
    private static final int PAGE = 1000;
    private static final int MAX_TRANSACTION = 100;
    private static final int MAX_ATTEMPTS = 10;
    static final Map<String, AttributeValue> POSITION_KEY = CatalogItems.key("CONTROL#backfill", "title-index");

    private final DynamoDbClient dynamo;
    private final CatalogTable table;
    private final BackfillPositions positions;

    public TitleIndexBackfill(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = new CatalogTable(dynamo, table);
        this.positions = new BackfillPositions(dynamo, table, POSITION_KEY);
    }

    @Override
    public String name() {
        return "title index (models table)";
    }

    @Override
    public boolean exists() {
        return true; // the postings live in the catalog table's listing index, which every version has
    }

    @Override
    public SavedPosition position() {
        return positions;
    }

    @Override
    public Step step(String position) {
        ScanResponse page = dynamo.scan(b -> b.tableName(table.name()).limit(PAGE)
                .exclusiveStartKey(BackfillPositions.decode(position))
                .filterExpression("sk = :model AND attribute_not_exists(gt) AND attribute_not_exists(erased)")
                .expressionAttributeValues(Map.of(":model", AttributeValue.fromS("MODEL")))
                .projectionExpression("pk"));
        return BackfillPositions.step(page, item -> index(item.get("pk").s().substring("MODEL#".length())));
    }

    /** Posts one model's title; false when there was nothing to do (indexed meanwhile, erased or gone). */
    boolean index(String id) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> main = table.get(CatalogItems.modelKey(id), true);
            if (main == null || CatalogItems.isErased(main) || !main.containsKey("body")
                    || TitlePostings.State.of(main).indexed()) {
                return false;
            }
            try {
                table.transact(actions(id, main));
                return true;
            } catch (TransactionCanceledException e) {
                if (!CatalogWriter.isRace(e)) {
                    throw e;
                }
                LOG.debug("title backfill of {} raced with a save or an erasure; reading it again", id);
                CatalogWriter.backOff(attempt);
            }
        }
        throw new IllegalStateException("catalog entry " + id + " kept changing during the title backfill");
    }

    private List<TransactWriteItem> actions(String id, Map<String, AttributeValue> main) {
        CatalogEntry stored = CatalogItems.stored(Json.read(main.get("body").s(), CatalogEntry.class));
        String sortKey = CatalogItems.sortKey(stored.model());
        long version = main.containsKey("v") ? Long.parseLong(main.get("v").n()) : 0;
        // Budget: the main item's update and the ALL counter take two actions of the transaction.
        TitlePostings.Change titles = TitlePostings.change(id, TitlePostings.State.NONE, stored.model().title(),
                sortKey, CatalogItems.compact(stored), MAX_TRANSACTION - 2);
        Map<String, AttributeValue> values = new HashMap<>(TitlePostings.recordValues(titles.target()));
        values.put(":next", AttributeValue.fromN(Long.toString(version + 1)));
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(CatalogItems.modelKey(id))
                .updateExpression("SET gt = :gt, grams = :grams, gl = :gl, #v = :next")
                .conditionExpression(CatalogWriter.versionCondition(version))
                .expressionAttributeNames(Map.of("#v", "v"))
                .expressionAttributeValues(CatalogWriter.withVersion(version, values))
                .build()).build());
        titles.puts().forEach(item -> actions.add(TransactWriteItem.builder()
                .put(Put.builder().tableName(table.name()).item(item).build()).build()));
        actions.add(CatalogWriter.allCounter(table, 0, false, true));
        return actions;
    }
}
