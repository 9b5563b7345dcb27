package io.voicedrop.core.port;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import java.util.Optional;

/** The models this deployment created, as the API lists them. */
public interface ModelCatalog {

    /** Inserts or replaces the entry for {@code entry.model().id()}. */
    void save(CatalogEntry entry);

    Optional<CatalogEntry> find(String modelId);

    ModelPage list(ListQuery query);
}
