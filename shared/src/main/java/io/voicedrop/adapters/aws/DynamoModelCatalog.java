package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.aws.catalog.CatalogCache;
import io.voicedrop.adapters.aws.catalog.CatalogEraser;
import io.voicedrop.adapters.aws.catalog.CatalogItems;
import io.voicedrop.adapters.aws.catalog.CatalogTable;
import io.voicedrop.adapters.aws.catalog.CatalogWriter;
import io.voicedrop.adapters.aws.catalog.PartitionPages;
import io.voicedrop.adapters.aws.catalog.QueryPlan;
import io.voicedrop.adapters.aws.catalog.SearchPages;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The catalog on one DynamoDB table. The table layout and the reasons behind it are on the page of package
 * {@link io.voicedrop.adapters.aws.catalog}; this class only routes:
 * <ul>
 *   <li>{@link #save}: {@link CatalogWriter}, one conditional transaction per save, counters exact under races;</li>
 *   <li>{@link #erase}: {@link CatalogEraser}, every item the main item lists and its counters, one transaction;</li>
 *   <li>{@link #find}: one read of the main item;</li>
 *   <li>{@link #list}: {@link PartitionPages} when one listing partition answers the query exactly (unfiltered,
 *       one {@code tag}, one {@code language}, an {@code author_id}, one {@code title_language}): page 1 reads
 *       {@code page_size} items and {@code total} is a counter; {@link SearchPages} for everything else
 *       ({@code title}, several filters): a {@code title} is looked up in the title index (n-gram postings written
 *       with each save), other combinations scan the smallest partition's compact items; either way the first
 *       {@value #MAX_SEARCH_RESULTS} matches are cached for a few minutes. A search stops after
 *       {@value #MAX_SEARCH_SCAN} items ({@code total_is_exact=false}).</li>
 * </ul>
 */
public final class DynamoModelCatalog implements ModelCatalog {

    /** Most compact items one search reads when it is built. */
    static final int MAX_SEARCH_SCAN = 100_000;
    /** Most matches one search keeps (and therefore can page through). */
    static final int MAX_SEARCH_RESULTS = 5_000;

    private final CatalogTable table;
    private final CatalogWriter writer;
    private final CatalogEraser eraser;
    private final PartitionPages partitions;
    private final SearchPages searches;

    public DynamoModelCatalog(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC(), MAX_SEARCH_SCAN, MAX_SEARCH_RESULTS);
    }

    /** With other search bounds, for tests. */
    public DynamoModelCatalog(DynamoDbClient dynamo, String table, Clock clock, int maxSearchScan,
                              int maxSearchResults) {
        this.table = new CatalogTable(dynamo, table);
        CatalogCache cache = new CatalogCache(this.table, clock);
        this.writer = new CatalogWriter(this.table, clock);
        this.eraser = new CatalogEraser(this.table, clock);
        this.partitions = new PartitionPages(this.table, cache, clock);
        this.searches = new SearchPages(this.table, cache, clock, maxSearchScan, maxSearchResults);
    }

    /** DynamoDB calls made and items read (queried, scanned or fetched) by this instance so far. */
    public record ReadCost(long calls, long itemsRead) {
        public ReadCost minus(ReadCost before) {
            return new ReadCost(calls - before.calls, itemsRead - before.itemsRead);
        }
    }

    public ReadCost readCost() {
        return new ReadCost(table.calls(), table.itemsRead());
    }

    @Override
    public void save(CatalogEntry entry) {
        writer.save(entry);
    }

    @Override
    public void saveNew(CatalogEntry entry) {
        writer.saveNew(entry);
    }

    @Override
    public void erase(String modelId) {
        eraser.erase(modelId);
    }

    @Override
    public Optional<CatalogEntry> find(String modelId) {
        return table.find(modelId);
    }

    @Override
    public ModelPage list(ListQuery query) {
        QueryPlan plan = QueryPlan.of(query);
        long offset = (long) (query.pageNumber() - 1) * query.pageSize();
        return plan.covered() ? partitions.page(plan.partition(), offset, query.pageSize())
                : searches.page(plan, offset, query.pageSize());
    }

    /**
     * The items {@link #save} writes for a model that is not in the catalog yet, and the partitions it joins (each
     * of whose counters, and {@code ALL}'s, must go up by one). For bulk loading with {@code BatchWriteItem}, e.g.
     * the benchmark; normal saves use {@link #save}.
     */
    public static BulkItems bulkItems(CatalogEntry entry) {
        CatalogItems.NewModel m = CatalogItems.newModel(entry);
        return new BulkItems(m.items(), m.partitions());
    }

    /** See {@link #bulkItems}. */
    public record BulkItems(List<Map<String, AttributeValue>> items, List<String> partitions) {
    }

    /** The counter item of a partition holding {@code n} models (for bulk loading). */
    public static Map<String, AttributeValue> counterItem(String partition, long n) {
        return CatalogItems.counterItem(partition, n);
    }
}
