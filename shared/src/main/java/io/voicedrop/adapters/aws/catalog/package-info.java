/**
 * The model catalog on DynamoDB, behind {@link io.voicedrop.adapters.aws.DynamoModelCatalog}. Read this page first,
 * then the class for the part you need.
 *
 * <h2>The table</h2>
 * One table (adjacency list, partition key {@code pk}, sort key {@code sk}) with one global secondary index
 * {@code gsi1}: {@code gsi1pk} is the <em>listing partition</em> an item is in, {@code gsi1sk} is
 * {@code created_at#id}, so every listing partition reads newest first. Items ({@link CatalogItems}):
 * <ul>
 *   <li>{@code MODEL#<id> / MODEL}: the main item, the whole entry as JSON ({@code body}), in partition {@code ALL};
 *       {@code v} (version, for compare-and-set), {@code keys} (the filter partitions the model is in now) and
 *       {@code items} (the sort keys of its other items, which an erase removes). Once erased, it is a marker with
 *       only {@code erased} and a TTL, so a late save cannot bring the model back.</li>
 *   <li>{@code MODEL#<id> / SEARCH}: a compact twin in partition {@code SEARCH} holding only what filters look at
 *       (about 150 bytes), so that a scan never reads whole models.</li>
 *   <li>{@code MODEL#<id> / IDX#<key>}: one compact item per filter value, in partition {@code <key>}:
 *       {@code TAG#<tag>}, {@code LANG#<language>}, {@code AUTHOR#<id>}, {@code TLANG#<title language>}. A value a
 *       re-save drops is overwritten without index attributes (a tombstone, removed by TTL), so the role needs no
 *       delete permission.</li>
 *   <li>{@code MODEL#<id> / GRAM#<gram>}: the title index ({@link TitlePostings}), one posting per 3-code-point gram
 *       of the lower-cased title, in partition {@code GRAM#<first code point>} sorted by {@code <gram>#created#id};
 *       or, for a title too long to post, one compact item {@code MODEL#<id> / GRAMLESS} in partition
 *       {@code GRAMLESS}. Written in the save's transaction (an edit deletes the old title's, so the roles that
 *       save need {@code dynamodb:DeleteItem}); the main item records them ({@code grams}, {@code gt},
 *       {@code gl}).</li>
 *   <li>{@code COUNT#<partition> / COUNT}: how many models a partition holds ({@code n}), so {@code total} is one
 *       read, and {@code m}, raised whenever a model leaves the partition or changes what filters see: the caches
 *       compare it, because a model leaving and another arriving leave {@code n} unchanged. {@code COUNT#ALL} also
 *       counts the models whose title is indexed ({@code g}).</li>
 *   <li>{@code CACHE#... / CACHE}: cursor checkpoints and search results ({@link CatalogCache}), optional.</li>
 * </ul>
 *
 * <h2>The classes</h2>
 * <ul>
 *   <li>{@link CatalogItems}: what each item looks like; pure functions, no I/O.</li>
 *   <li>{@link CatalogTable}: every DynamoDB call, counted (the cost tests and the benchmark read the counts).</li>
 *   <li>{@link CatalogWriter}: {@code save}, one conditional transaction that keeps the counters exact.</li>
 *   <li>{@link CatalogEraser}: {@code erase}, every item the main item lists and its counters, in one transaction.</li>
 *   <li>{@link QueryPlan}: which partitions a query maps onto, and the per-item filter.</li>
 *   <li>{@link PartitionPages}: a query one partition answers exactly; deep pages start from cached checkpoints.</li>
 *   <li>{@link SearchPages}: every other query; the title index or one bounded scan, matches cached for minutes.</li>
 *   <li>{@link TitlePostings}, {@link TitleSearch}: the title index's items, and its lookup.</li>
 *   <li>{@link CatalogCache}: the cache items both listings keep.</li>
 * </ul>
 *
 * <p>Filter semantics: every {@code tag} must match (case-sensitive); any of several {@code language}s or
 * {@code title_language}s (case-insensitive); {@code title} is a case-insensitive substring; {@code author_id}
 * exact, ignored when {@code self=true}.
 */
package io.voicedrop.adapters.aws.catalog;
