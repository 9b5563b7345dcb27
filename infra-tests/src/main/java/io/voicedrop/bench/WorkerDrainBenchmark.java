package io.voicedrop.bench;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code scripts/bench-worker.sh [N] [R] [L_ms] [C]}: drops N jobs at once into the local pipeline, drained by C
 * concurrent workers (the template's {@code WorkerMaxConcurrency}) while the Fish simulator allows R creates per
 * second with L ms latency. Prints the drain time against the ideal N/R, the 429s it provoked, the numbers that
 * must stay 0 (duplicate models, lost jobs), and what each job cost: AWS calls by function, service and operation
 * (counted at the SDK level by {@link AwsCallMeter}), conditional-write conflicts, the emulator's call latency and
 * CPU, the worker's own time and the JVM's peak heap. Then it measures a few uploads through ingest and the API
 * ({@link UploadCosts}) and prints what 1,000 models cost in AWS ({@link CostOfModels}).
 *
 * <p>Watching the drain costs the emulator nothing: completions are counted as the functions store jobs
 * ({@link LocalPipeline#onJobChange}), in this JVM; jobs are read back only after the clock stopped.
 */
public final class WorkerDrainBenchmark {

    private WorkerDrainBenchmark() {
    }

    /** The benchmark's settings, from the command line. */
    record Settings(int jobs, int rate, int latencyMs, int concurrency, double budget, int uploads, double sampleMb,
                    int retentionMonths) {

        static Settings parse(String[] args) {
            List<Integer> numbers = new ArrayList<>();
            double budget = -1;
            int uploads = 20;
            double sampleMb = 5;
            int months = 12;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--budget" -> budget = Double.parseDouble(args[++i]);
                    case "--uploads" -> uploads = Integer.parseInt(args[++i]);
                    case "--sample-mb" -> sampleMb = Double.parseDouble(args[++i]);
                    case "--retention-months" -> months = Integer.parseInt(args[++i]);
                    default -> numbers.add(Integer.parseInt(args[i]));
                }
            }
            int n = numbers.size() > 0 ? numbers.get(0) : 100;
            int r = numbers.size() > 1 ? numbers.get(1) : 5;
            int l = numbers.size() > 2 ? numbers.get(2) : 200;
            int c = numbers.size() > 3 ? numbers.get(3) : 5;
            return new Settings(n, r, l, c, budget < 0 ? r : budget, uploads, sampleMb, months);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        String loadBefore = Machine.loadAverage();
        FishSimulator sim = FishSimulator.start(FishSimulator.Settings.defaults()
                .rateLimitPerSecond(s.rate()).latency(Duration.ofMillis(s.latencyMs())));
        AwsCallMeter meter = new AwsCallMeter();
        Map<String, String> env = Map.of("UPSTREAM_REQUESTS_PER_SECOND", Double.toString(s.budget()),
                "LOG_LEVEL", "WARN");
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalOptions(null, sim.baseUrl(), sim.token(), 0,
                s.concurrency(), Path.of("template.yaml"), Map.of(), env), List.of(meter))) {
            Invocations invocations = new Invocations();
            pipeline.onInvocation(invocations);
            DrainResult drain = drain(pipeline, sim, meter, invocations, s);
            String loadAfter = Machine.loadAverage();
            DrainReport.print(s, drain, sim, pipeline.emulatorName(), loadBefore, loadAfter);
            if (s.uploads() > 0) {
                UploadCosts.Measured uploads = UploadCosts.measure(pipeline, meter, invocations, s.uploads());
                CostOfModels.print(drain, uploads, s);
            }
        } finally {
            sim.close();
        }
        System.exit(0);
    }

    /** What the drain measured. */
    record DrainResult(int jobs, Duration time, int terminal, long succeeded, long duplicates,
                       Map<AwsCallMeter.Key, AwsCallMeter.Tally> calls, Map<String, AwsCallMeter.JobTally> perJob,
                       Map<String, Invocations.Stats> invocations, Machine.Cpu emulatorCpu, Machine.Cpu jvmCpu,
                       long peakHeapBytes, long maxHeapBytes, List<Job> finished) {
    }

    private static DrainResult drain(LocalPipeline pipeline, FishSimulator sim, AwsCallMeter meter,
                                     Invocations invocations, Settings s) throws InterruptedException {
        String key = "bench/sample.wav";
        byte[] audio = DemoAudio.wav(Duration.ofSeconds(1), 16_000, 1, 1);
        pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key), RequestBody.fromBytes(audio));
        JobStore jobs = pipeline.context().getBean(JobStore.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.jobs(); i++) {
            Job job = Job.queued(UUID.randomUUID().toString(), pipeline.bucket(), List.of(key),
                    List.of(new Sample(key, null, audio.length, null)), ModelSpec.titled("bench " + i), List.of(),
                    Instant.now());
            jobs.createIfAbsent(job);
            ids.add(job.jobId());
        }
        Set<String> wanted = Set.copyOf(ids);
        Set<String> terminal = ConcurrentHashMap.newKeySet();
        pipeline.onJobChange(j -> {
            if (j.status().isTerminal() && wanted.contains(j.jobId())) {
                terminal.add(j.jobId());
            }
        });
        Thread.sleep(2000); // the stream's QUEUED records of the set-up are announced before the clock starts
        HeapSampler heap = HeapSampler.start();
        Machine.Cpu emulatorBefore = Machine.processCpu(pipeline.emulatorProcessId());
        Machine.Cpu jvmBefore = Machine.jvmCpu();
        meter.reset();
        invocations.reset();
        meter.start();
        invocations.start();
        Instant start = Instant.now();
        enqueue(pipeline, ids);
        Instant until = start.plus(Duration.ofSeconds(Math.max(600, 4L * s.jobs() / s.rate())));
        while (terminal.size() < s.jobs() && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        Duration time = Duration.between(start, Instant.now());
        Machine.Cpu emulatorCpu = Machine.processCpu(pipeline.emulatorProcessId()).minus(emulatorBefore, time);
        Machine.Cpu jvmCpu = Machine.jvmCpu().minus(jvmBefore, time);
        // The stream's last records (the last jobs' SUCCEEDED) are announced after the last job ended.
        Thread.sleep(2000);
        meter.stop();
        invocations.stop();
        long peak = heap.stop();
        List<Job> finished = ids.stream().map(id -> jobs.find(id).orElseThrow()).toList();
        long succeeded = finished.stream().filter(j -> j.status() == JobStatus.SUCCEEDED).count();
        long duplicates = ids.stream().mapToLong(id -> Math.max(0, sim.models().stream()
                .filter(m -> m.tags().contains(JobRunner.markerTag(id))).count() - 1)).sum();
        return new DrainResult(s.jobs(), time, terminal.size(), succeeded, duplicates, meter.calls(), meter.jobs(),
                invocations.stats(), emulatorCpu, jvmCpu, peak, Runtime.getRuntime().maxMemory(), finished);
    }

    /** What ingest does for each job: one message on the jobs queue (in batches of ten here, to start at once). */
    private static void enqueue(LocalPipeline pipeline, List<String> ids) {
        MDC.put("service", "benchmark");
        try {
            for (int i = 0; i < ids.size(); i += 10) {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (String id : ids.subList(i, Math.min(ids.size(), i + 10))) {
                    batch.add(SendMessageBatchRequestEntry.builder().id(id)
                            .messageBody(io.voicedrop.adapters.aws.JobMessage.bodyFor(id)).build());
                }
                pipeline.sqs().sendMessageBatch(b -> b.queueUrl(pipeline.config().jobsQueueUrl()).entries(batch));
            }
        } finally {
            MDC.remove("service");
        }
    }
}
