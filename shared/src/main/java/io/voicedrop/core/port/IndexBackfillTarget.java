package io.voicedrop.core.port;

import java.util.Optional;

/**
 * An index that items written before it existed are missing from, and the way to add them: a table is read page by
 * page in key order (a position names where the next page starts), and each item of a page the index lacks is
 * written into it, unless a concurrent write already did, or the item is gone. Adding an item twice is harmless
 * (the target checks first, under the same condition as any other writer), so a run can stop anywhere and start
 * again; the saved position only spares it the pages already done.
 */
public interface IndexBackfillTarget {

    /** What the index is called in reports ({@code title index}, {@code job list index}). */
    String name();

    /** Whether the deployment has this index at all (a table from before it needs no backfill: it cannot use it). */
    boolean exists();

    /** Where this index's backfill keeps its position between runs. */
    SavedPosition position();

    /** Reads the page at {@code position} ({@code null}: the first) and adds what the index lacks. */
    Step step(String position);

    /**
     * One page: items {@code examined} (those the index might lack), {@code written} into the index, {@code skipped}
     * (indexed meanwhile by another writer, erased or deleted, or holding nothing the index keys on), and the
     * position of the next page ({@code null} after the last).
     */
    record Step(long examined, long written, long skipped, String next) {
    }

    /** Where a backfill stopped, kept outside the run so that the next one (from any machine) resumes there. */
    interface SavedPosition {

        /** Where an interrupted run stopped; empty when none did (or the last run finished). */
        Optional<String> read();

        /** Remembers where the next page starts; {@code null} forgets it (the run finished). */
        void save(String position);
    }
}
