package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.core.catalog.TitleGrams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The matches of a query with a {@code title}, from the title index ({@link TitlePostings}) instead of a scan: the
 * postings of one of the query's grams, kept when their title contains the query, plus the few gramless models.
 *
 * <p>Which gram: any one holds every match, the rarest holds fewest others. The index keeps no count per gram (a
 * counter that every save of a common gram updates would be one hot item), so the first {@value #PROBE} postings of
 * up to {@value #PROBED} grams spread over the query are read: a gram with fewer is read out and the smallest wins;
 * otherwise the gram whose {@value #PROBE}th newest posting is oldest is the sparsest in time, and the rest of it is
 * read. The choice only changes the cost, never the answer. A query also filtered by tag, language, author or title
 * language has its title matches checked against their compact items (one {@code BatchGetItem} per 100 matches).
 */
final class TitleSearch {

    static final int PROBE = 10;
    static final int PROBED = 8;
    private static final int PAGE = 2000;
    private static final String POSTING_FIELDS = "gsi1sk, k, t";

    private final CatalogTable table;

    TitleSearch(CatalogTable table) {
        this.table = table;
    }

    /**
     * Matches newest first: {@code complete=false} when the chosen gram has more than {@code maxRead} postings (the
     * matches then are those among the newest {@code maxRead}). Null when the query has no usable gram.
     */
    Found find(QueryPlan plan, long maxRead) {
        TitleGrams.Query q = TitleGrams.windows(plan.title());
        if (q.keys().isEmpty()) {
            return null;
        }
        List<Reader> readers = q.spread(PROBED).stream().map(Reader::new).toList();
        readers.forEach(r -> r.read(PROBE));
        Reader chosen = readers.stream().filter(Reader::done).min(Comparator.comparingInt(r -> r.items.size()))
                .orElseGet(() -> readers.stream().min(Comparator.comparing(Reader::lastSortKey)).orElseThrow());
        while (!chosen.done() && chosen.items.size() < maxRead) {
            chosen.read((int) Math.min(PAGE, maxRead - chosen.items.size()));
        }
        Set<String> titleMatches = new LinkedHashSet<>();
        for (Map<String, AttributeValue> p : chosen.items) {
            if (p.get("t").s().contains(plan.title())) {
                titleMatches.add(p.get("k").s());
            }
        }
        List<String> matches = new ArrayList<>(plan.onlyTitle() ? titleMatches : checked(plan, titleMatches));
        for (Map<String, AttributeValue> item : gramless()) {
            if (plan.matches(item) && !titleMatches.contains(item.get("gsi1sk").s())) {
                matches.add(item.get("gsi1sk").s());
            }
        }
        matches.sort(Comparator.reverseOrder());
        return new Found(matches, chosen.done());
    }

    record Found(List<String> matches, boolean complete) {
    }

    /** The title matches that also pass the query's other filters, by their compact items. */
    private List<String> checked(QueryPlan plan, Set<String> sortKeys) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.compactItems(List.copyOf(sortKeys))) {
            if (plan.matches(item)) {
                out.add(item.get("gsi1sk").s());
            }
        }
        return out;
    }

    private List<Map<String, AttributeValue>> gramless() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = table.queryIndex(b -> b.keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(TitlePostings.GRAMLESS)))
                    .exclusiveStartKey(from));
            items.addAll(r.items());
            start = CatalogTable.next(r);
        } while (start != null);
        return items;
    }

    /** The postings of one gram (or of every gram starting with a short query), newest first, read on demand. */
    private final class Reader {
        private final String key;
        private final List<Map<String, AttributeValue>> items = new ArrayList<>();
        private Map<String, AttributeValue> start;
        private boolean done;

        Reader(String key) {
            this.key = key;
        }

        void read(int limit) {
            int target = items.size() + limit;
            while (!done && items.size() < target) {
                Map<String, AttributeValue> from = start;
                int want = target - items.size();
                QueryResponse r = table.queryIndex(b -> b
                        .keyConditionExpression("gsi1pk = :p AND begins_with(gsi1sk, :g)")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(TitlePostings.partition(key)),
                                ":g", AttributeValue.fromS(key)))
                        .projectionExpression(POSTING_FIELDS).exclusiveStartKey(from).limit(want));
                items.addAll(r.items());
                start = CatalogTable.next(r);
                done = start == null;
            }
        }

        boolean done() {
            return done;
        }

        /** The model sort key of the oldest posting read so far (compared across grams: older is sparser). */
        String lastSortKey() {
            return items.isEmpty() ? "" : items.get(items.size() - 1).get("k").s();
        }
    }
}
