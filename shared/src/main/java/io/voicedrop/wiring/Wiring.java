package io.voicedrop.wiring;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoJobOwnership;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.adapters.aws.DynamoUpstreamPause;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.adapters.aws.EventBridgeJobEvents;
import io.voicedrop.adapters.aws.S3PreviewStore;
import io.voicedrop.adapters.aws.S3SampleStorage;
import io.voicedrop.adapters.aws.S3SampleUrlSigner;
import io.voicedrop.adapters.aws.S3StatusReporter;
import io.voicedrop.adapters.aws.S3UploadStore;
import io.voicedrop.adapters.aws.SecretsManagerToken;
import io.voicedrop.adapters.aws.SqsJobQueue;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.adapters.fish.FishHttpClient;
import io.voicedrop.adapters.http.GuardedDownloads;
import io.voicedrop.adapters.http.GuardedHttp;
import io.voicedrop.adapters.http.GuardedWebhookSender;
import io.voicedrop.adapters.http.OutboundGuard;
import io.voicedrop.adapters.metrics.PowertoolsMetrics;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.core.port.UploadStore;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.port.WebhookSender;
import io.voicedrop.core.quality.QualityCheck;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.AttemptRecorder;
import io.voicedrop.core.service.BillableCreate;
import io.voicedrop.core.service.JobClaims;
import io.voicedrop.core.service.JobFinisher;
import io.voicedrop.core.service.ModelCreation;
import io.voicedrop.core.service.PauseGate;
import io.voicedrop.core.service.SendSlots;
import io.voicedrop.core.service.TrainingPoll;
import io.voicedrop.core.service.UpstreamFeedback;
import io.voicedrop.core.service.ArrivalWait;
import io.voicedrop.core.service.DeletionRunner;
import io.voicedrop.core.service.IngestLimits;
import io.voicedrop.core.service.JobCanceller;
import io.voicedrop.core.service.JobChangeNotifier;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.JobVisibility;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.core.service.PreviewMaker;
import io.voicedrop.core.service.ReportAndRetain;
import io.voicedrop.core.service.RunnerSettings;
import io.voicedrop.core.service.SampleRetention;
import io.voicedrop.core.service.SampleRules;
import io.voicedrop.core.service.Sleeper;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.core.service.VoiceEraser;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.service.WebhookSignature;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root of the functions without an HTTP layer (ingest, worker, notify, webhook): plain constructors,
 * no dependency-injection container at run time (docs/architecture.md, "Cold start"). Each component is built on
 * first use and then kept, so a function builds only what its handler reaches: the ingest never builds the upstream
 * client, the notify function never builds S3.
 *
 * <p>Replacements ({@link #of(VoiceDropConfig, Object...)}) stand in for every component of their type, as
 * singletons given to a Micronaut context did: tests and the local runner pass their own job store, clock, AWS
 * clients, metrics or upstream, and everything built on top of them uses those.
 *
 * <p>The API keeps Micronaut for its HTTP layer; its beans ({@link VoiceDropBeans}) are built by the static methods
 * here, so each component is constructed in one place whichever graph asks for it.
 */
public final class Wiring implements AutoCloseable {

    /** How long a worker trusts "the deployment is not paused" before reading the flag again. */
    static final Duration NO_PAUSE_FRESH_FOR = Duration.ofSeconds(5);

    private final VoiceDropConfig config;
    private final List<Object> replacements;
    /** Built components by the type they were asked for; guarded by {@code this} (a component builds its parts). */
    private final Map<Class<?>, Object> built = new HashMap<>();

    private Wiring(VoiceDropConfig config, List<Object> replacements) {
        this.config = config;
        this.replacements = replacements;
    }

    /** Lambda's: the settings from the environment, every component real. */
    public static Wiring fromEnvironment() {
        return of(VoiceDropConfig.fromEnvironment());
    }

    /** The graph for {@code config}, each of {@code replacements} used wherever a component of its type is asked for. */
    public static Wiring of(VoiceDropConfig config, Object... replacements) {
        return new Wiring(config, List.of(replacements));
    }

    /**
     * The component of {@code type}: a replacement of that type if one was given, else the one built by {@code make}
     * on first use. Function modules keep their own handler-side components here too.
     */
    public synchronized <T> T component(Class<T> type, Supplier<? extends T> make) {
        Object existing = built.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        T made = replacements.stream().filter(type::isInstance).findFirst().map(type::cast).orElse(null);
        if (made == null) {
            made = make.get();
        }
        built.put(type, made);
        return made;
    }

    /** Whether a component of {@code type} has been built or handed out (SnapStart priming primes what was). */
    public synchronized boolean built(Class<?> type) {
        return built.values().stream().anyMatch(type::isInstance);
    }

    /** The built components of {@code type}. */
    synchronized <T> List<T> builtOfType(Class<T> type) {
        return built.values().stream().filter(type::isInstance).map(type::cast).distinct().toList();
    }

    public VoiceDropConfig config() {
        return config;
    }

    /**
     * Closes what this graph built and owns (its AWS clients, for one); replacements belong to whoever passed them.
     * Lambda never calls it (the environment ends with the instance); tests and the local runner do.
     */
    @Override
    public synchronized void close() {
        for (Object c : built.values().stream().distinct().toList()) {
            if (c instanceof AutoCloseable closeable && replacements.stream().noneMatch(r -> r == c)) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing is best effort: the component is dropped either way
                }
            }
        }
        built.clear();
    }

    public Clock clock() {
        return component(Clock.class, Clock::systemUTC);
    }

    public AwsClients awsClients() {
        return component(AwsClients.class, () -> new AwsClients(config));
    }

    public DynamoDbClient dynamoDb() {
        return component(DynamoDbClient.class, () -> awsClients().dynamoDb());
    }

    public S3Client s3() {
        return component(S3Client.class, () -> awsClients().s3());
    }

    public SqsClient sqs() {
        return component(SqsClient.class, () -> awsClients().sqs());
    }

    public JobStore jobStore() {
        return component(JobStore.class, () -> jobStore(dynamoDb(), config));
    }

    public static JobStore jobStore(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoJobStore(dynamo, config.jobsTable());
    }

    public ModelCatalog modelCatalog() {
        return component(ModelCatalog.class, () -> modelCatalog(dynamoDb(), config));
    }

    public static ModelCatalog modelCatalog(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoModelCatalog(dynamo, config.modelsTable());
    }

    public JobQueue jobQueue() {
        return component(JobQueue.class, () -> jobQueue(sqs(), config));
    }

    public static JobQueue jobQueue(SqsClient sqs, VoiceDropConfig config) {
        return new SqsJobQueue(sqs, config.jobsQueueUrl());
    }

    public UpstreamPause upstreamPause() {
        return component(UpstreamPause.class, () -> upstreamPause(dynamoDb(), config, clock()));
    }

    public static UpstreamPause upstreamPause(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        // Jobs ask before every upstream call; "not paused" is remembered briefly (see DynamoUpstreamPause).
        return new DynamoUpstreamPause(dynamo, config.jobsTable(), clock, NO_PAUSE_FRESH_FOR);
    }

    public UpstreamThrottle upstreamThrottle() {
        return component(UpstreamThrottle.class, () -> upstreamThrottle(dynamoDb(), config, clock()));
    }

    public static UpstreamThrottle upstreamThrottle(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return new DynamoUpstreamThrottle(dynamo, config.jobsTable(), config.upstreamRequestsPerSecond(), clock);
    }

    /** Reports go to the bucket; a job that ended also gets the deployment's sample retention applied. */
    public StatusReporter statusReporter() {
        return component(StatusReporter.class, () -> statusReporter(s3(), sampleRetention()));
    }

    public static StatusReporter statusReporter(S3Client s3, SampleRetention retention) {
        return new ReportAndRetain(new S3StatusReporter(s3), retention);
    }

    public SampleStorage sampleStorage() {
        return component(SampleStorage.class, () -> sampleStorage(s3()));
    }

    public static SampleStorage sampleStorage(S3Client s3) {
        return new S3SampleStorage(s3);
    }

    /** Who owns the jobs made through the API (and the deletions of their voices). */
    public JobOwnership jobOwnership() {
        return component(JobOwnership.class, () -> jobOwnership(dynamoDb(), config));
    }

    public static JobOwnership jobOwnership(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoJobOwnership(dynamo, config.jobsTable());
    }

    public static JobCanceller jobCanceller(JobStore jobs, JobOwnership ownership, StatusReporter reporter,
                                            Clock clock) {
        return new JobCanceller(jobs, new JobVisibility(ownership), reporter, clock);
    }

    public static ModelDeletion modelDeletion(ModelCatalog catalog, JobStore jobs, JobOwnership ownership,
                                              JobQueue queue, JobCanceller canceller, VoiceDropConfig config,
                                              Clock clock) {
        return new ModelDeletion(catalog, jobs, ownership, queue, canceller, config.bucket(), clock);
    }

    public SampleRetention sampleRetention() {
        return component(SampleRetention.class, () -> sampleRetention(sampleStorage(), jobStore(), config, clock()));
    }

    public static SampleRetention sampleRetention(SampleStorage storage, JobStore jobs, VoiceDropConfig config,
                                                  Clock clock) {
        return new SampleRetention(storage, jobs, config.sampleRetention(), clock);
    }

    public Metrics metrics() {
        return component(Metrics.class, Wiring::newMetrics);
    }

    public static Metrics newMetrics() {
        return new PowertoolsMetrics("VoiceDrop", "voicedrop");
    }

    public SampleUrlSigner sampleUrlSigner() {
        return component(SampleUrlSigner.class, () -> sampleUrlSigner(awsClients(), clock()));
    }

    public static SampleUrlSigner sampleUrlSigner(AwsClients aws, Clock clock) {
        return new S3SampleUrlSigner(aws.presigner(), clock);
    }

    /** Only where the function ships the Secrets Manager SDK (the worker, and the API for edits; see shared/pom.xml). */
    public FishApi fishApi() {
        return component(FishApi.class, () -> fishApi(config, awsClients(), clock()));
    }

    public static FishApi fishApi(VoiceDropConfig config, AwsClients aws, Clock clock) {
        SecretsManagerToken token = new SecretsManagerToken(aws.secretsManager(), config.fishTokenSecretArn(), clock);
        return new FishHttpClient(config.fishBaseUrl(), token, config.upstreamTimeout(), config.voicesShape(), clock);
    }

    public RetryPolicy retryPolicy() {
        return component(RetryPolicy.class, () -> retryPolicy(config));
    }

    public static RetryPolicy retryPolicy(VoiceDropConfig config) {
        return new RetryPolicy(config.retryBaseDelay(), config.retryMaxDelay(), config.maxAttempts(),
                // SecureRandom, not a seeded PRNG: SnapStart restores every instance from one snapshot, and a copied
                // seed would make the whole fleet back off in lockstep.
                new SecureRandom()::nextDouble);
    }

    public RunnerSettings runnerSettings() {
        return component(RunnerSettings.class, () -> new RunnerSettings(config.presignExpiry(),
                config.upstreamTimeout().plusSeconds(5), config.trainingPollEvery(), config.trainingTimeout(),
                config.pauseProbeEvery()));
    }

    /** The worker's use case, from this wiring's components. */
    public JobRunner jobRunner() {
        return component(JobRunner.class, () -> jobRunner(new JobRunnerPorts(jobStore(), modelCatalog(),
                upstreamThrottle(), upstreamPause(), jobQueue(), fishApi(), sampleUrlSigner(), metrics(),
                retryPolicy(), runnerSettings(), clock(), statusReporter(), previewMaker(), deletionRunner())));
    }

    /** The one place a {@link JobRunner} is put together (the function's wiring and the worker tests both call it). */
    public static JobRunner jobRunner(JobRunnerPorts p) {
        RunnerSettings settings = p.settings();
        PauseGate pauseGate = new PauseGate(p.pause(), p.queue(), settings.pauseProbeEvery(), p.clock());
        JobClaims claims = new JobClaims(p.jobStore(), p.metrics(), settings, p.clock());
        AttemptRecorder recorder = new AttemptRecorder(p.jobStore(), p.modelCatalog(),
                new UpstreamFeedback(p.throttle(), pauseGate, p.metrics()), p.retryPolicy(), p.clock())
                .withPreviews(p.previews());
        BillableCreate create = new BillableCreate(p.fish(), p.signer(),
                new SendSlots(p.throttle(), settings, p.clock(), Sleeper.REAL), p.metrics(), settings, p.clock());
        return new JobRunner(claims, pauseGate,
                new ModelCreation(create, recorder, claims, p.metrics(), settings, p.clock(), Sleeper.REAL),
                new TrainingPoll(p.fish(), p.modelCatalog(), p.jobStore(), recorder, settings, p.clock()),
                new JobFinisher(p.reporter(), p.queue(), p.metrics(), settings, p.clock()), p.deletions());
    }

    public DeletionRunner deletionRunner() {
        return component(DeletionRunner.class, () -> {
            VoiceEraser eraser = new VoiceEraser(modelCatalog(), jobStore(), sampleStorage(), statusReporter(), clock());
            return new DeletionRunner(jobStore(), modelCatalog(), fishApi(), eraser, jobQueue(), upstreamPause(),
                    upstreamThrottle(), metrics(), retryPolicy(), runnerSettings(), clock(), Sleeper.REAL);
        });
    }

    /** The one outbound-URL guard and its HTTP client, for every URL chosen outside the deployment. */
    public GuardedHttp guardedHttp() {
        return component(GuardedHttp.class, () -> new GuardedHttp(OutboundGuard.of(config.allowLocalUrls())));
    }

    public PreviewMaker previewMaker() {
        return component(PreviewMaker.class, () -> {
            PreviewMaker.Settings settings = new PreviewMaker.Settings(config.previews().defaultText(),
                    config.previews().maxBytes(), config.upstreamTimeout().plusSeconds(5));
            return new PreviewMaker(fishApi(), jobStore(), new GuardedDownloads(guardedHttp()),
                    new S3PreviewStore(s3()), upstreamThrottle(), retryPolicy(), metrics(), settings, clock(),
                    Sleeper.REAL);
        });
    }

    /** Only where the function ships the EventBridge SDK (the notify functions, see shared/pom.xml). */
    public JobEventPublisher jobEventPublisher() {
        return component(JobEventPublisher.class, () -> new EventBridgeJobEvents(awsClients().eventBridge(),
                config.notifications().eventBusName()));
    }

    public WebhookQueue webhookQueue() {
        return component(WebhookQueue.class, () -> new SqsWebhookQueue(sqs(),
                config.notifications().webhooksQueueUrl(), config.notifications().webhooksDeadLetterQueueUrl()));
    }

    public JobChangeNotifier jobChangeNotifier() {
        return component(JobChangeNotifier.class, () -> new JobChangeNotifier(jobEventPublisher(), webhookQueue(),
                metrics(), clock()));
    }

    public WebhookSender webhookSender() {
        return component(WebhookSender.class, () -> new GuardedWebhookSender(guardedHttp(), clock()));
    }

    /** Only where the function ships the Secrets Manager SDK (the webhook signing secret; see shared/pom.xml). */
    public WebhookDispatcher webhookDispatcher() {
        return component(WebhookDispatcher.class, () -> {
            VoiceDropConfig.Notifications n = config.notifications();
            SecretsManagerToken secret = new SecretsManagerToken(awsClients().secretsManager(), n.webhookSecretArn(),
                    clock());
            // The one RetryPolicy, with the webhook's own bounds: attempts end with the retry window, not a count.
            RetryPolicy retry = new RetryPolicy(n.webhookRetryBaseDelay(), n.webhookRetryMaxDelay(), Integer.MAX_VALUE,
                    new SecureRandom()::nextDouble);
            return new WebhookDispatcher(jobStore(), webhookSender(), webhookQueue(),
                    () -> WebhookSignature.ofSecret(secret.get()), retry, metrics(),
                    new WebhookDispatcher.Settings(n.webhookTimeout(), n.webhookRetryWindow()), clock());
        });
    }

    /** What a sample must be before money is spent on it: one set of rules for bucket uploads and the API. */
    public SampleRules sampleRules() {
        return component(SampleRules.class, () -> sampleRules(config));
    }

    public static SampleRules sampleRules(VoiceDropConfig config) {
        return new SampleRules(new AudioProbe(), new IngestLimits(config.maxSampleBytes(),
                config.maxSamplesPerModel(), config.maxTotalDuration()), new QualityCheck(config.quality()));
    }

    public UploadStore uploadStore() {
        return component(UploadStore.class, () -> uploadStore(s3()));
    }

    public static UploadStore uploadStore(S3Client s3) {
        return new S3UploadStore(s3);
    }

    public UploadIngestor uploadIngestor() {
        return component(UploadIngestor.class, () -> uploadIngestor(jobStore(), jobQueue(), statusReporter(),
                metrics(), uploadStore(), sampleRules(), clock()));
    }

    public static UploadIngestor uploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter,
                                                Metrics metrics, UploadStore uploads, SampleRules rules, Clock clock) {
        return new UploadIngestor(jobs, queue, reporter, metrics, uploads, rules, ArrivalWait.DEFAULT, Sleeper.REAL,
                clock);
    }
}
