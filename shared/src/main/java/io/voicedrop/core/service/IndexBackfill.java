package io.voicedrop.core.service;

import io.voicedrop.core.port.IndexBackfillTarget;
import java.util.function.Consumer;

/**
 * Brings an index up to date with the items written before it existed ({@code scripts/voicedrop-ops.sh
 * backfill-indexes}). It walks the table page by page from where an interrupted run stopped (or from the start),
 * saving the position after every page, so a crash or a Ctrl-C loses at most one page of work, and that page is
 * simply done again: the target's writes are conditional, so a repeat writes nothing. Safe beside the live system:
 * every write the target makes is conditional on the item being what it read (see the adapters), so a concurrent
 * save, edit or erasure either goes first (and the item is skipped or read again) or finds the index entry there.
 */
public final class IndexBackfill {

    /** Totals of one run; {@code resumed} when it started from a saved position. */
    public record Report(String index, long pages, long examined, long written, long skipped, boolean resumed,
                         boolean needed) {

        public String describe() {
            if (!needed) {
                return index + ": not in this deployment, nothing to backfill";
            }
            return index + ": " + written + " added, " + skipped + " skipped, " + examined + " examined in " + pages
                    + " page(s)" + (resumed ? " (resumed where an earlier run stopped)" : "");
        }
    }

    /**
     * Runs the backfill to the end. {@code restart} ignores a saved position (starts from the first page);
     * {@code progress} hears the totals after every page.
     */
    public Report run(IndexBackfillTarget target, boolean restart, Consumer<Report> progress) {
        if (!target.exists()) {
            return new Report(target.name(), 0, 0, 0, 0, false, false);
        }
        String position = restart ? null : target.position().read().orElse(null);
        boolean resumed = position != null;
        long pages = 0;
        long examined = 0;
        long written = 0;
        long skipped = 0;
        do {
            IndexBackfillTarget.Step step = target.step(position);
            pages++;
            examined += step.examined();
            written += step.written();
            skipped += step.skipped();
            position = step.next();
            target.position().save(position);
            progress.accept(new Report(target.name(), pages, examined, written, skipped, resumed, true));
        } while (position != null);
        return new Report(target.name(), pages, examined, written, skipped, resumed, true);
    }
}
