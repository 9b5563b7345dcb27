package io.voicedrop.api;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The catalog in a map, with the Dynamo catalog's semantics (newest first; all tags; any language). */
final class InMemoryModelCatalog implements ModelCatalog {

    private final Map<String, CatalogEntry> entries = new LinkedHashMap<>();
    private final java.util.Set<String> erased = new java.util.HashSet<>();
    final List<ListQuery> queries = new ArrayList<>();
    RuntimeException failWith;

    @Override
    public synchronized void save(CatalogEntry entry) {
        if (!erased.contains(entry.model().id())) {
            entries.put(entry.model().id(), entry);
        }
    }

    @Override
    public synchronized void erase(String modelId) {
        entries.remove(modelId);
        erased.add(modelId);
    }

    @Override
    public synchronized Optional<CatalogEntry> find(String modelId) {
        if (failWith != null) {
            throw failWith;
        }
        return Optional.ofNullable(entries.get(modelId));
    }

    @Override
    public synchronized ModelPage list(ListQuery q) {
        queries.add(q);
        if (failWith != null) {
            throw failWith;
        }
        List<ModelEntity> matches = entries.values().stream()
                .filter(e -> q.title() == null
                        || e.model().title().toLowerCase(Locale.ROOT).contains(q.title().toLowerCase(Locale.ROOT)))
                .filter(e -> e.model().tags().containsAll(q.tags()))
                .filter(e -> q.languages().isEmpty() || q.languages().stream().anyMatch(e.model().languages()::contains))
                .filter(e -> q.self() || q.authorId() == null || q.authorId().equals(e.model().author().id()))
                .filter(e -> q.titleLanguages().isEmpty() || q.titleLanguages().contains(e.titleLanguage()))
                .map(CatalogEntry::model)
                .sorted(Comparator.comparing(ModelEntity::createdAt).thenComparing(ModelEntity::id).reversed())
                .toList();
        int from = (int) Math.min(matches.size(), (long) (q.pageNumber() - 1) * q.pageSize());
        int to = Math.min(matches.size(), from + q.pageSize());
        return new ModelPage(matches.size(), matches.subList(from, to));
    }

    ListQuery lastQuery() {
        return queries.get(queries.size() - 1);
    }
}
