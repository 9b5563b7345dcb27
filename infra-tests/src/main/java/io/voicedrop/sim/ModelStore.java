package io.voicedrop.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thread-safe in-memory model storage. Training progress is evaluated lazily on every read,
 * which keeps the simulator free of background timers that tests would have to wait on.
 */
final class ModelStore {

    private static final class Entry {
        SimModel model;
        int polls;
        // Captured per model so that changing settings mid-test never rewrites an older model's fate.
        final int pollsNeeded;
        final Instant readyAt;
        final String outcome;

        Entry(SimModel model, int pollsNeeded, Instant readyAt, String outcome) {
            this.model = model;
            this.pollsNeeded = pollsNeeded;
            this.readyAt = readyAt;
            this.outcome = outcome;
        }
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();

    /**
     * @param pollsNeeded GET-by-id polls that still see "training" (<= 0: polls never finish training)
     * @param trainFor time after creation at which training ends (null: time never finishes it)
     */
    synchronized void add(SimModel model, int pollsNeeded, Duration trainFor, String outcome) {
        Instant readyAt = trainFor == null ? null : model.createdAt().plus(trainFor);
        byId.put(model.id(), new Entry(model, pollsNeeded, readyAt, outcome));
    }

    /** A GET by id: counts as a poll for training progress, and hides private models of others. */
    synchronized Optional<SimModel> poll(String id, String viewerId, Instant now) {
        Entry e = byId.get(id);
        if (e == null || !visibleById(e.model, viewerId)) {
            return Optional.empty();
        }
        refresh(e, now);
        e.polls++;
        return Optional.of(e.model);
    }

    /** All models, newest first, with training state brought up to date. */
    synchronized List<SimModel> newestFirst(Instant now) {
        List<SimModel> out = new ArrayList<>(byId.size());
        for (Entry e : byId.values()) {
            refresh(e, now);
            out.add(e.model);
        }
        // Insertion order breaks created_at ties, so two models made in one clock tick stay ordered.
        Collections.reverse(out);
        out.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return out;
    }

    /** Only the author may change a model; anyone else is told it does not exist. */
    synchronized Optional<SimModel> update(String id, String authorId, java.util.function.UnaryOperator<SimModel> change) {
        Entry e = byId.get(id);
        if (e == null || !e.model.authorId().equals(authorId)) {
            return Optional.empty();
        }
        e.model = change.apply(e.model);
        return Optional.of(e.model);
    }

    /** Only the author may delete a model; true when it was there. */
    synchronized boolean remove(String id, String authorId) {
        Entry e = byId.get(id);
        if (e == null || !e.model.authorId().equals(authorId)) {
            return false;
        }
        byId.remove(id);
        return true;
    }

    synchronized int size() {
        return byId.size();
    }

    synchronized void clear() {
        byId.clear();
    }

    private static boolean visibleById(SimModel m, String viewerId) {
        // "unlist" means reachable by id but absent from public listings.
        return !"private".equals(m.visibility()) || m.authorId().equals(viewerId);
    }

    private static void refresh(Entry e, Instant now) {
        if (!"training".equals(e.model.state())) {
            return;
        }
        boolean byPolls = e.pollsNeeded > 0 && e.polls >= e.pollsNeeded;
        boolean byTime = e.readyAt != null && !now.isBefore(e.readyAt);
        if (byPolls || byTime) {
            e.model = e.model.withState(e.outcome, now);
        }
    }
}
