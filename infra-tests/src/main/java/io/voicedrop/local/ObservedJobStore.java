package io.voicedrop.local;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local pipeline's job store: the real one, telling a listener about every job it stores. The runner's
 * terminal view follows jobs this way, as they are written by the in-process functions, at no cost to the emulator
 * (no polling, no stream). A listener that fails never fails the write.
 */
final class ObservedJobStore implements JobStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ObservedJobStore.class);

    private final JobStore store;
    private final Consumer<Job> listener;

    ObservedJobStore(JobStore store, Consumer<Job> listener) {
        this.store = store;
        this.listener = listener;
    }

    @Override
    public boolean createIfAbsent(Job job) {
        boolean created = store.createIfAbsent(job);
        if (created) {
            tell(job.withVersion(1));
        }
        return created;
    }

    @Override
    public Optional<Job> find(String jobId) {
        return store.find(jobId);
    }

    @Override
    public Job update(Job changed) {
        Job stored = store.update(changed);
        tell(stored);
        return stored;
    }

    @Override
    public JobPage listByStatus(JobStatus status, int limit, String cursor) {
        return store.listByStatus(status, limit, cursor);
    }

    @Override
    public List<Job> listNewest(String owner, int limit, Position after) {
        return store.listNewest(owner, limit, after);
    }

    private void tell(Job job) {
        try {
            listener.accept(job);
        } catch (RuntimeException e) {
            LOG.debug("job listener failed for {}: {}", job.jobId(), e.toString());
        }
    }
}
