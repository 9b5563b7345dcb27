package io.voicedrop.wiring;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoJobOwnership;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.adapters.aws.DynamoUpstreamPause;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.adapters.aws.S3SampleStorage;
import io.voicedrop.adapters.aws.S3SampleUrlSigner;
import io.voicedrop.adapters.aws.S3StatusReporter;
import io.voicedrop.adapters.aws.S3UploadStore;
import io.voicedrop.adapters.aws.SecretsManagerToken;
import io.voicedrop.adapters.aws.SqsJobQueue;
import io.voicedrop.adapters.aws.EventBridgeJobEvents;
import io.voicedrop.adapters.aws.S3PreviewStore;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.adapters.http.GuardedWebhookSender;
import io.voicedrop.adapters.fish.FishHttpClient;
import io.voicedrop.adapters.http.GuardedDownloads;
import io.voicedrop.adapters.http.GuardedHttp;
import io.voicedrop.adapters.http.OutboundGuard;
import io.voicedrop.adapters.metrics.PowertoolsMetrics;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.port.FishApi;
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
import io.voicedrop.core.quality.QualityCheck;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.ArrivalWait;
import io.voicedrop.core.service.DeletionRunner;
import io.voicedrop.core.service.JobCanceller;
import io.voicedrop.core.service.JobVisibility;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.core.service.ReportAndRetain;
import io.voicedrop.core.service.SampleRetention;
import io.voicedrop.core.service.VoiceEraser;
import io.voicedrop.core.service.IngestLimits;
import io.voicedrop.core.service.SampleRules;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.AttemptRecorder;
import io.voicedrop.core.service.BillableCreate;
import io.voicedrop.core.service.JobClaims;
import io.voicedrop.core.service.JobFinisher;
import io.voicedrop.core.service.ModelCreation;
import io.voicedrop.core.service.PauseGate;
import io.voicedrop.core.service.SendSlots;
import io.voicedrop.core.service.TrainingPoll;
import io.voicedrop.core.service.UpstreamFeedback;
import io.voicedrop.core.service.PreviewMaker;
import io.voicedrop.core.service.JobChangeNotifier;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.service.WebhookSignature;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.port.WebhookSender;
import io.voicedrop.core.service.RunnerSettings;
import io.voicedrop.core.service.Sleeper;
import io.voicedrop.core.service.UploadIngestor;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.security.SecureRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the plain-Java core to its AWS and HTTP adapters for every function. Beans are created on first use, so
 * each function only builds the clients it needs. Tests and the local runner supply their own
 * {@link VoiceDropConfig} (and {@link Clock}) as singletons; Lambda reads the environment.
 */
@Factory
public class VoiceDropBeans {

    /** How long a worker trusts "the deployment is not paused" before reading the flag again. */
    static final java.time.Duration NO_PAUSE_FRESH_FOR = java.time.Duration.ofSeconds(5);

    @Singleton
    @Requires(missingBeans = VoiceDropConfig.class)
    VoiceDropConfig config() {
        return VoiceDropConfig.fromEnvironment();
    }

    @Singleton
    @Requires(missingBeans = Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Requires(missingBeans = AwsClients.class)
    AwsClients awsClients(VoiceDropConfig config) {
        return new AwsClients(config);
    }

    @Singleton
    DynamoDbClient dynamoDb(AwsClients aws) {
        return aws.dynamoDb();
    }

    @Singleton
    S3Client s3(AwsClients aws) {
        return aws.s3();
    }

    @Singleton
    SqsClient sqs(AwsClients aws) {
        return aws.sqs();
    }

    @Singleton
    @Requires(missingBeans = JobStore.class)
    JobStore jobStore(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoJobStore(dynamo, config.jobsTable());
    }

    @Singleton
    @Requires(missingBeans = ModelCatalog.class)
    ModelCatalog modelCatalog(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoModelCatalog(dynamo, config.modelsTable());
    }

    @Singleton
    JobQueue jobQueue(SqsClient sqs, VoiceDropConfig config) {
        return new SqsJobQueue(sqs, config.jobsQueueUrl());
    }

    @Singleton
    UpstreamPause upstreamPause(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        // Jobs ask before every upstream call; "not paused" is remembered briefly (see DynamoUpstreamPause).
        return new DynamoUpstreamPause(dynamo, config.jobsTable(), clock, NO_PAUSE_FRESH_FOR);
    }

    @Singleton
    UpstreamThrottle upstreamThrottle(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return new DynamoUpstreamThrottle(dynamo, config.jobsTable(), config.upstreamRequestsPerSecond(), clock);
    }

    /** Reports go to the bucket; a job that ended also gets the deployment's sample retention applied. */
    @Singleton
    @Requires(missingBeans = StatusReporter.class)
    StatusReporter statusReporter(S3Client s3, SampleRetention retention) {
        return new ReportAndRetain(new S3StatusReporter(s3), retention);
    }

    @Singleton
    @Requires(missingBeans = SampleStorage.class)
    SampleStorage sampleStorage(S3Client s3) {
        return new S3SampleStorage(s3);
    }

    /** Who owns the jobs made through the API (and the deletions of their voices). */
    @Singleton
    @Requires(missingBeans = JobOwnership.class)
    JobOwnership jobOwnership(DynamoDbClient dynamo, VoiceDropConfig config) {
        return new DynamoJobOwnership(dynamo, config.jobsTable());
    }

    @Singleton
    JobCanceller jobCanceller(JobStore jobs, JobOwnership ownership, StatusReporter reporter, Clock clock) {
        return new JobCanceller(jobs, new JobVisibility(ownership), reporter, clock);
    }

    @Singleton
    ModelDeletion modelDeletion(ModelCatalog catalog, JobStore jobs, JobOwnership ownership, JobQueue queue,
                                JobCanceller canceller, VoiceDropConfig config, Clock clock) {
        return new ModelDeletion(catalog, jobs, ownership, queue, canceller, config.bucket(), clock);
    }

    @Singleton
    SampleRetention sampleRetention(SampleStorage storage, JobStore jobs, VoiceDropConfig config, Clock clock) {
        return new SampleRetention(storage, jobs, config.sampleRetention(), clock);
    }

    @Singleton
    @Requires(missingBeans = Metrics.class)
    Metrics metrics() {
        return new PowertoolsMetrics("VoiceDrop", "voicedrop");
    }

    @Singleton
    SampleUrlSigner sampleUrlSigner(AwsClients aws, Clock clock) {
        return new S3SampleUrlSigner(aws.presigner(), clock);
    }

    /** Only where the function ships the Secrets Manager SDK (the worker, and the API for edits; see shared/pom.xml). */
    @Singleton
    @Requires(classes = SecretsManagerClient.class)
    @Requires(missingBeans = FishApi.class)
    FishApi fishApi(VoiceDropConfig config, AwsClients aws, Clock clock) {
        SecretsManagerToken token = new SecretsManagerToken(aws.secretsManager(), config.fishTokenSecretArn(), clock);
        return new FishHttpClient(config.fishBaseUrl(), token, config.upstreamTimeout(), config.voicesShape(), clock);
    }

    @Singleton
    RetryPolicy retryPolicy(VoiceDropConfig config) {
        return new RetryPolicy(config.retryBaseDelay(), config.retryMaxDelay(), config.maxAttempts(),
                // SecureRandom, not a seeded PRNG: SnapStart restores every instance from one snapshot, and a copied
                // seed would make the whole fleet back off in lockstep.
                new SecureRandom()::nextDouble);
    }

    @Singleton
    RunnerSettings runnerSettings(VoiceDropConfig config) {
        return new RunnerSettings(config.presignExpiry(), config.upstreamTimeout().plusSeconds(5),
                config.trainingPollEvery(), config.trainingTimeout(), config.pauseProbeEvery());
    }

    /** The worker's (it needs {@link #fishApi}). */
    @Singleton
    @Requires(classes = SecretsManagerClient.class)
    JobRunner jobRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, SampleUrlSigner signer, JobQueue queue,
                        UpstreamPause pause, UpstreamThrottle throttle, StatusReporter reporter, Metrics metrics,
                        RetryPolicy retry, RunnerSettings settings, DeletionRunner deletions, Clock clock,
                        PreviewMaker previews) {
        PauseGate pauseGate = new PauseGate(pause, queue, settings.pauseProbeEvery(), clock);
        JobClaims claims = new JobClaims(jobs, metrics, settings, clock);
        AttemptRecorder recorder = new AttemptRecorder(jobs, catalog,
                new UpstreamFeedback(throttle, pauseGate, metrics), retry, clock).withPreviews(previews);
        BillableCreate create = new BillableCreate(fish, signer,
                new SendSlots(throttle, settings, clock, Sleeper.REAL), metrics, settings, clock);
        return new JobRunner(claims, pauseGate,
                new ModelCreation(create, recorder, claims, metrics, settings, clock, Sleeper.REAL),
                new TrainingPoll(fish, catalog, jobs, recorder, settings, clock),
                new JobFinisher(reporter, queue, metrics, settings, clock), deletions);
    }

    @Singleton
    @Requires(classes = SecretsManagerClient.class)
    DeletionRunner deletionRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, SampleStorage storage,
                                  StatusReporter reporter, JobQueue queue, UpstreamPause pause,
                                  UpstreamThrottle throttle, Metrics metrics, RetryPolicy retry,
                                  RunnerSettings settings, Clock clock) {
        VoiceEraser eraser = new VoiceEraser(catalog, jobs, storage, reporter, clock);
        return new DeletionRunner(jobs, catalog, fish, eraser, queue, pause, throttle, metrics, retry, settings,
                clock, Sleeper.REAL);
    }

    /** The one outbound-URL guard and its HTTP client, for every URL chosen outside the deployment. */
    @Singleton
    GuardedHttp guardedHttp(VoiceDropConfig config) {
        return new GuardedHttp(OutboundGuard.of(config.allowLocalUrls()));
    }

    @Singleton
    PreviewMaker previewMaker(FishApi fish, JobStore jobs, GuardedHttp http, S3Client s3, UpstreamThrottle throttle,
                              RetryPolicy retry, Metrics metrics, VoiceDropConfig config, Clock clock) {
        PreviewMaker.Settings settings = new PreviewMaker.Settings(config.previews().defaultText(),
                config.previews().maxBytes(), config.upstreamTimeout().plusSeconds(5));
        return new PreviewMaker(fish, jobs, new GuardedDownloads(http), new S3PreviewStore(s3), throttle, retry,
                metrics, settings, clock, Sleeper.REAL);
    }

    /** Only where the function ships the EventBridge SDK (the notify functions, see shared/pom.xml). */
    @Singleton
    @Requires(missingBeans = JobEventPublisher.class)
    @Requires(classes = EventBridgeClient.class)
    JobEventPublisher jobEventPublisher(AwsClients aws, VoiceDropConfig config) {
        return new EventBridgeJobEvents(aws.eventBridge(), config.notifications().eventBusName());
    }

    @Singleton
    @Requires(missingBeans = WebhookQueue.class)
    WebhookQueue webhookQueue(SqsClient sqs, VoiceDropConfig config) {
        return new SqsWebhookQueue(sqs, config.notifications().webhooksQueueUrl(),
                config.notifications().webhooksDeadLetterQueueUrl());
    }

    @Singleton
    JobChangeNotifier jobChangeNotifier(JobEventPublisher events, WebhookQueue webhooks, Metrics metrics, Clock clock) {
        return new JobChangeNotifier(events, webhooks, metrics, clock);
    }

    @Singleton
    @Requires(missingBeans = WebhookSender.class)
    WebhookSender webhookSender(GuardedHttp http, Clock clock) {
        return new GuardedWebhookSender(http, clock);
    }

    /** Only where the function ships the Secrets Manager SDK (the webhook signing secret; see shared/pom.xml). */
    @Singleton
    @Requires(classes = SecretsManagerClient.class)
    WebhookDispatcher webhookDispatcher(JobStore jobs, WebhookSender sender, WebhookQueue queue, AwsClients aws,
                                        Metrics metrics, VoiceDropConfig config, Clock clock) {
        VoiceDropConfig.Notifications n = config.notifications();
        SecretsManagerToken secret = new SecretsManagerToken(aws.secretsManager(), n.webhookSecretArn(), clock);
        // The one RetryPolicy, with the webhook's own bounds: attempts end with the retry window, not a count.
        RetryPolicy retry = new RetryPolicy(n.webhookRetryBaseDelay(), n.webhookRetryMaxDelay(), Integer.MAX_VALUE,
                new SecureRandom()::nextDouble);
        return new WebhookDispatcher(jobs, sender, queue, () -> WebhookSignature.ofSecret(secret.get()), retry,
                metrics, new WebhookDispatcher.Settings(n.webhookTimeout(), n.webhookRetryWindow()), clock);
    }

    /** What a sample must be before money is spent on it: one set of rules for bucket uploads and the API. */
    @Singleton
    SampleRules sampleRules(VoiceDropConfig config) {
        return new SampleRules(new AudioProbe(), new IngestLimits(config.maxSampleBytes(),
                config.maxSamplesPerModel(), config.maxTotalDuration()), new QualityCheck(config.quality()));
    }

    @Singleton
    UploadStore uploadStore(S3Client s3) {
        return new S3UploadStore(s3);
    }

    @Singleton
    UploadIngestor uploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics,
                                  UploadStore uploads, SampleRules rules, Clock clock) {
        return new UploadIngestor(jobs, queue, reporter, metrics, uploads, rules,
                ArrivalWait.DEFAULT, Sleeper.REAL, clock);
    }

}
