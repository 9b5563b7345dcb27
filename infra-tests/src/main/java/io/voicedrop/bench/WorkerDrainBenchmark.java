package io.voicedrop.bench;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalOptions;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code scripts/bench-worker.sh [N] [R] [L_ms] [budget]}: drops N jobs at once into the local pipeline while the
 * Fish simulator allows R creates per second with L ms latency, and prints how long the worker fleet takes to drain
 * them against the ideal N/R, how many 429s it provoked, and the two numbers that must stay 0: duplicate models
 * and lost jobs. {@code budget} is the deployment's UPSTREAM_REQUESTS_PER_SECOND (default R; set it above R to see
 * the fleet back off on 429s).
 */
public final class WorkerDrainBenchmark {

    private WorkerDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int r = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int latencyMs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        double budget = args.length > 3 ? Double.parseDouble(args[3]) : r;
        int concurrency = 5;
        FishSimulator sim = FishSimulator.start(FishSimulator.Settings.defaults()
                .rateLimitPerSecond(r).latency(Duration.ofMillis(latencyMs)));
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalOptions(null, sim.baseUrl(), sim.token(), 0,
                concurrency, Path.of("template.yaml"), Map.of(),
                Map.of("UPSTREAM_REQUESTS_PER_SECOND", Double.toString(budget), "LOG_LEVEL", "WARN")))) {
            String key = "bench/sample.wav";
            byte[] audio = DemoAudio.wav(Duration.ofSeconds(1), 16_000, 1, 1);
            pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key), RequestBody.fromBytes(audio));
            JobStore jobs = pipeline.context().getBean(JobStore.class);
            JobQueue queue = pipeline.context().getBean(JobQueue.class);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Job job = Job.queued(UUID.randomUUID().toString(), pipeline.bucket(), List.of(key),
                        List.of(new Sample(key, null, audio.length, null)), ModelSpec.titled("bench " + i), List.of(),
                        Instant.now());
                jobs.createIfAbsent(job);
                ids.add(job.jobId());
            }
            Instant start = Instant.now();
            ids.forEach(id -> queue.enqueue(id, Duration.ZERO));
            Instant until = start.plus(Duration.ofMinutes(10));
            int done = 0;
            while (Instant.now().isBefore(until)) {
                done = (int) ids.stream().map(jobs::find)
                        .filter(j -> j.isPresent() && j.get().status().isTerminal()).count();
                if (done == n) {
                    break;
                }
                Thread.sleep(250);
            }
            Duration drain = Duration.between(start, Instant.now());
            long succeeded = ids.stream().map(jobs::find).filter(j -> j.orElseThrow().status() == JobStatus.SUCCEEDED).count();
            long duplicates = ids.stream().mapToLong(id -> Math.max(0, sim.models().stream()
                    .filter(m -> m.tags().contains(JobRunner.markerTag(id))).count() - 1)).sum();
            System.out.printf("worker drain: N=%d jobs, upstream limit R=%d/s, latency L=%d ms, fleet budget=%.1f/s, concurrency=%d%n",
                    n, r, latencyMs, budget, concurrency);
            System.out.printf("  drain time      %.1f s (ideal N/R = %.1f s, ratio %.2f)%n", drain.toMillis() / 1000.0,
                    (double) n / r, drain.toMillis() / 1000.0 / ((double) n / r));
            System.out.printf("  429s received  %d%n", sim.status429Count());
            System.out.printf("  create calls   %d%n", sim.createCalls());
            System.out.printf("  succeeded      %d%n", succeeded);
            System.out.printf("  duplicates     %d (must be 0)%n", duplicates);
            System.out.printf("  lost           %d (must be 0)%n", n - done);
        } finally {
            sim.close();
        }
        System.exit(0);
    }
}
