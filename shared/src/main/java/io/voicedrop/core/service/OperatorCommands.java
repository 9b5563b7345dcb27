package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.DeadLetters;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UpstreamPause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an operator does after fixing a problem: resume a paused deployment at once (instead of waiting for the
 * next probe), and put dead-lettered work back into the pipeline.
 */
public final class OperatorCommands {

    private final JobStore jobs;
    private final JobQueue queue;
    private final UpstreamPause pause;

    public OperatorCommands(JobStore jobs, JobQueue queue, UpstreamPause pause) {
        this.jobs = jobs;
        this.queue = queue;
        this.pause = pause;
    }

    /**
     * Lifts the pause and sends every waiting job to the queue now (their own messages are delayed until the next
     * probe; a second message is harmless because a job is claimed only once). Returns how many jobs were sent.
     */
    public int resume() {
        pause.resume();
        int sent = 0;
        for (JobStatus waiting : List.of(JobStatus.RETRY_WAIT, JobStatus.QUEUED, JobStatus.DELETING)) {
            String cursor = null;
            do {
                JobStore.JobPage page = jobs.listByStatus(waiting, 100, cursor);
                for (Job job : page.jobs()) {
                    queue.enqueue(job.jobId(), Duration.ZERO);
                    sent++;
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        return sent;
    }

    /** What a replay did with the dead letters. {@code kept} lists bodies it could not use (left in the queue). */
    public record ReplayReport(int jobsRequeued, int uploadsReingested, int dropped, List<String> kept) {
    }

    /**
     * Replays the dead-letter queue. Job messages go back to the jobs queue (a job already finished is dropped: the
     * worker would only acknowledge it); failed ingest invocations are handed to {@code reingest}, which returns
     * how many uploads it ingested, or empty when the body is not an ingest failure. Anything else stays.
     *
     * @param jobIdOf  reads a job id out of a message body
     * @param reingest re-runs ingest for a failed ingest invocation's payload
     */
    public ReplayReport replay(DeadLetters letters, Function<String, Optional<String>> jobIdOf,
                               Function<String, Optional<Integer>> reingest) {
        int requeued = 0;
        int reingested = 0;
        int dropped = 0;
        List<String> kept = new ArrayList<>();
        List<DeadLetters.Letter> batch;
        while (!(batch = letters.receive(10)).isEmpty()) {
            for (DeadLetters.Letter letter : batch) {
                Optional<String> jobId = jobIdOf.apply(letter.body());
                if (jobId.isPresent()) {
                    Optional<Job> job = jobs.find(jobId.get());
                    if (job.isEmpty()) {
                        kept.add(letter.body());
                        continue;
                    }
                    if (job.get().status().isTerminal()) {
                        dropped++;
                    } else {
                        queue.enqueue(jobId.get(), Duration.ZERO);
                        requeued++;
                    }
                    letters.delete(letter);
                    continue;
                }
                Optional<Integer> uploads = reingest.apply(letter.body());
                if (uploads.isPresent()) {
                    reingested += uploads.get();
                    letters.delete(letter);
                } else {
                    kept.add(letter.body());
                }
            }
            if (kept.size() >= 1000) {
                break; // a queue of unusable messages: stop rather than loop over them forever
            }
        }
        return new ReplayReport(requeued, reingested, dropped, kept);
    }
}
