package io.voicedrop.worker;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.adapters.aws.DynamoUpstreamPause;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.adapters.aws.S3SampleUrlSigner;
import io.voicedrop.adapters.fish.FishHttpClient;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.RunnerSettings;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import io.voicedrop.testing.Jobs;
import io.voicedrop.wiring.JobRunnerPorts;
import io.voicedrop.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A worker wired to the real emulator tables and the Fish simulator, but with its own queue recorder and optional
 * fault-injecting wrappers around the stores. Its jobs are never put on the shared pipeline's queue, so the
 * background workers never touch them: each test drives every delivery itself.
 */
final class WorkerHarness {

    final VoiceDropConfig config;
    final FishSimulator simulator;
    final DynamoDbClient dynamo;
    final DynamoJobStore jobs;
    final DynamoModelCatalog catalog;
    final List<String> enqueued = new CopyOnWriteArrayList<>();
    final Map<String, Long> metrics = new ConcurrentHashMap<>();
    private final AwsClients aws;
    private final LocalPipeline pipeline;

    WorkerHarness(LocalPipeline pipeline, FishSimulator simulator) {
        this.pipeline = pipeline;
        this.config = pipeline.config();
        this.simulator = simulator;
        this.aws = new AwsClients(config);
        this.dynamo = aws.dynamoDb();
        this.jobs = new DynamoJobStore(dynamo, config.jobsTable());
        this.catalog = new DynamoModelCatalog(dynamo, config.modelsTable());
    }

    JobRunner runner() {
        return runner(UnaryOperator.identity(), UnaryOperator.identity());
    }

    JobRunner runner(UnaryOperator<JobStore> wrapJobs, UnaryOperator<ModelCatalog> wrapCatalog) {
        return runner(wrapJobs.apply(jobs), wrapCatalog.apply(catalog),
                new DynamoUpstreamThrottle(dynamo, config.jobsTable(), 50, Clock.systemUTC()));
    }

    /** A runner on the given stores and rate budget (e.g. stores on a client that injects latency). */
    JobRunner runner(JobStore jobStore, ModelCatalog modelCatalog, UpstreamThrottle throttle) {
        JobQueue recorder = (jobId, delay) -> enqueued.add(jobId);
        Metrics recording = new Metrics() {
            public void count(String name, long value) { metrics.merge(name, value, Long::sum); }
            public void timeMillis(String name, long millis) { }
        };
        FishHttpClient fish = new FishHttpClient(config.fishBaseUrl(), simulator::token, Duration.ofSeconds(2),
                VoiceDropConfig.VoicesShape.ARRAY, Clock.systemUTC());
        // A pause's probe is due a minute on: "nothing reaches upstream before the probe" must not depend on the
        // test's next step coming within seconds (on a loaded 2-core machine it did not, and a probe went through).
        RunnerSettings settings = new RunnerSettings(Duration.ofMinutes(10), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(1));
        Clock clock = Clock.systemUTC();
        return Wiring.jobRunner(new JobRunnerPorts(jobStore, modelCatalog, throttle,
                new DynamoUpstreamPause(dynamo, config.jobsTable()), recorder, fish,
                new S3SampleUrlSigner(aws.presigner(), clock), recording,
                new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 5, Math::random), settings, clock,
                job -> { }, null, null));
    }

    /** A queued job whose one sample really exists in the bucket (the simulator downloads it). */
    Job newJob(String title) {
        String key = "incoming/worker-tests/" + UUID.randomUUID() + ".wav";
        byte[] audio = DemoAudio.wav(Duration.ofSeconds(2), 16_000, 1, 7);
        pipeline.s3().putObject(b -> b.bucket(config.bucket()).key(key), RequestBody.fromBytes(audio));
        Job job = Jobs.queued(UUID.randomUUID().toString(), Clock.systemUTC().instant()).bucket(config.bucket())
                .sourceKeys(List.of(key)).samples(List.of(new Sample(key, null, audio.length, null)))
                .spec(ModelSpec.titled(title)).build();
        jobs.createIfAbsent(job);
        return job;
    }

    long modelsUpstreamFor(String jobId) {
        return simulator.models().stream().filter(m -> m.tags().contains(JobRunner.markerTag(jobId))).count();
    }

    Job reload(String jobId) {
        return jobs.find(jobId).orElseThrow();
    }
}
