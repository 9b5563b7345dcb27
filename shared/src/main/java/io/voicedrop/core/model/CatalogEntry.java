package io.voicedrop.core.model;

import java.util.List;

/**
 * A model in this deployment's catalog: the upstream entity plus the pipeline facts that produced it.
 * The pipeline facts are served only on VoiceDrop's own endpoints, never inside the Fish-compatible items.
 */
public record CatalogEntry(ModelEntity model, String jobId, List<String> sourceKeys, String titleLanguage) {
    public CatalogEntry {
        sourceKeys = sourceKeys == null ? List.of() : List.copyOf(sourceKeys);
    }
}
