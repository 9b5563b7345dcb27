package io.voicedrop.core.model;

import java.util.List;

/** One page of the catalog in the Fish list shape: {@code total} counts every match, not just this page. */
public record ModelPage(long total, List<ModelEntity> items) {
}
