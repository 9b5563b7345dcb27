package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.service.WorkOutcome;
import io.voicedrop.e2e.SharedStack;
import io.voicedrop.sim.FishSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Following a model that is still training after its create: the catalog and the job against moto and the simulator. */
class TrainingPollTest {

    private static WorkerHarness h;
    private FishSimulator.Settings before;

    @BeforeAll
    static void harness() {
        h = new WorkerHarness(SharedStack.pipeline(), SharedStack.simulator());
    }

    @BeforeEach
    void modelsTrainOnTheirSecondPoll() {
        before = h.simulator.settings();
        h.simulator.update(s -> s.initialState("training").trainAfterPolls(1));
    }

    @AfterEach
    void restore() {
        FishSimulator.Settings saved = before;
        h.simulator.update(s -> saved);
    }

    private static Instant deadline() {
        return Instant.now().plus(Duration.ofSeconds(60));
    }

    @Test
    void thePollThatFindsTheModelTrainedSavesItsCatalogEntryOnce() {
        Job job = h.newJob("trained on its second poll");
        assertEquals(WorkOutcome.Action.DONE, h.runner().run(job.jobId(), deadline()).action());
        assertEquals(JobStatus.TRAINING, h.reload(job.jobId()).status());
        assertEquals(WorkOutcome.Action.DONE, h.runner().run(job.jobId(), deadline()).action());
        assertEquals(JobStatus.TRAINING, h.reload(job.jobId()).status(), "the first poll still sees it training");

        AtomicInteger saves = new AtomicInteger();
        WorkOutcome poll = h.runner(j -> j, c -> new CountingCatalog(c, saves)).run(job.jobId(), deadline());

        Job done = h.reload(job.jobId());
        assertEquals(WorkOutcome.Action.DONE, poll.action(), poll.toString());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("trained", h.catalog.find(done.modelId()).orElseThrow().model().state());
        assertEquals(1, saves.get(), "the trained model is saved once, with the job's result");
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
    }

    private record CountingCatalog(ModelCatalog real, AtomicInteger saves) implements ModelCatalog {
        public void save(CatalogEntry entry) {
            saves.incrementAndGet();
            real.save(entry);
        }
        public void erase(String id) { real.erase(id); }
        public Optional<CatalogEntry> find(String id) { return real.find(id); }
        public ModelPage list(ListQuery q) { return real.list(q); }
    }
}
