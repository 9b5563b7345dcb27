package io.voicedrop.core.model;

import java.util.List;

/**
 * One page of the catalog in the Fish list shape: {@code total} counts every match, not just this page.
 *
 * @param totalIsExact false when a search stopped at its scan bound before it saw the whole catalog: {@code total}
 *                     then counts the matches found so far (contract field {@code total_is_exact})
 * @param maxOffset    when not null, only the first {@code maxOffset} matches can be paged through (a search keeps
 *                     at most that many); pages past it are empty (contract fields {@code window_limited},
 *                     {@code max_offset})
 */
public record ModelPage(long total, List<ModelEntity> items, boolean totalIsExact, Long maxOffset) {

    public ModelPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public ModelPage(long total, List<ModelEntity> items) {
        this(total, items, true, null);
    }
}
