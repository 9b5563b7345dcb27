package io.voicedrop.core.port;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import java.util.Optional;

/** The models this deployment created, as the API lists them. */
public interface ModelCatalog {

    /**
     * Inserts or replaces the entry for {@code entry.model().id()}, keeping every listing and total exact. An entry
     * that was {@link #erase erased} is not saved again: a late writer (a worker still following the model's
     * training, a create that landed after its delete) can never bring a deleted model back.
     */
    void save(CatalogEntry entry);

    /**
     * {@link #save} for a model upstream has just created, which the catalog cannot hold yet: an adapter may skip
     * reading a previous entry, as long as it still never overwrites one (then it saves as {@link #save} does).
     */
    default void saveNew(CatalogEntry entry) {
        save(entry);
    }

    /**
     * Removes the model and everything the catalog keeps for it (every index and counter entry, whatever kinds its
     * entry lists), leaving only a marker with the id that stops later saves. Idempotent: erasing an unknown or
     * already erased model does nothing more.
     */
    void erase(String modelId);

    Optional<CatalogEntry> find(String modelId);

    ModelPage list(ListQuery query);
}
