package io.voicedrop.wiring;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.voicedrop.adapters.aws.AwsClients;
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
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.JobCanceller;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.core.service.SampleRetention;
import io.voicedrop.core.service.SampleRules;
import io.voicedrop.core.service.UploadIngestor;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The shared components as Micronaut beans, for the one function that keeps Micronaut for its HTTP layer (the API)
 * and for the operator commands. Each is constructed by {@link Wiring}, the other functions' composition root, so
 * there is one way to build each; only the graph differs (here Micronaut passes the collaborators). Beans are created
 * on first use. Tests and the local runner supply their own {@link VoiceDropConfig} (and {@link Clock}) as
 * singletons; Lambda reads the environment.
 */
@Factory
public class VoiceDropBeans {

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
        return Wiring.jobStore(dynamo, config);
    }

    @Singleton
    @Requires(missingBeans = ModelCatalog.class)
    ModelCatalog modelCatalog(DynamoDbClient dynamo, VoiceDropConfig config) {
        return Wiring.modelCatalog(dynamo, config);
    }

    @Singleton
    JobQueue jobQueue(SqsClient sqs, VoiceDropConfig config) {
        return Wiring.jobQueue(sqs, config);
    }

    @Singleton
    @Requires(missingBeans = UpstreamPause.class)
    UpstreamPause upstreamPause(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return Wiring.upstreamPause(dynamo, config, clock);
    }

    @Singleton
    @Requires(missingBeans = UpstreamThrottle.class)
    UpstreamThrottle upstreamThrottle(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return Wiring.upstreamThrottle(dynamo, config, clock);
    }

    @Singleton
    @Requires(missingBeans = StatusReporter.class)
    StatusReporter statusReporter(S3Client s3, SampleRetention retention) {
        return Wiring.statusReporter(s3, retention);
    }

    @Singleton
    @Requires(missingBeans = SampleStorage.class)
    SampleStorage sampleStorage(S3Client s3) {
        return Wiring.sampleStorage(s3);
    }

    @Singleton
    @Requires(missingBeans = JobOwnership.class)
    JobOwnership jobOwnership(DynamoDbClient dynamo, VoiceDropConfig config) {
        return Wiring.jobOwnership(dynamo, config);
    }

    @Singleton
    JobCanceller jobCanceller(JobStore jobs, JobOwnership ownership, StatusReporter reporter, Clock clock) {
        return Wiring.jobCanceller(jobs, ownership, reporter, clock);
    }

    @Singleton
    ModelDeletion modelDeletion(ModelCatalog catalog, JobStore jobs, JobOwnership ownership, JobQueue queue,
                                JobCanceller canceller, VoiceDropConfig config, Clock clock) {
        return Wiring.modelDeletion(catalog, jobs, ownership, queue, canceller, config, clock);
    }

    @Singleton
    SampleRetention sampleRetention(SampleStorage storage, JobStore jobs, VoiceDropConfig config, Clock clock) {
        return Wiring.sampleRetention(storage, jobs, config, clock);
    }

    @Singleton
    @Requires(missingBeans = Metrics.class)
    Metrics metrics() {
        return Wiring.newMetrics();
    }

    @Singleton
    SampleUrlSigner sampleUrlSigner(AwsClients aws, Clock clock) {
        return Wiring.sampleUrlSigner(aws, clock);
    }

    /** Only where the function ships the Secrets Manager SDK (the API, for edits; see shared/pom.xml). */
    @Singleton
    @Requires(classes = SecretsManagerClient.class)
    @Requires(missingBeans = FishApi.class)
    FishApi fishApi(VoiceDropConfig config, AwsClients aws, Clock clock) {
        return Wiring.fishApi(config, aws, clock);
    }

    @Singleton
    RetryPolicy retryPolicy(VoiceDropConfig config) {
        return Wiring.retryPolicy(config);
    }

    @Singleton
    SampleRules sampleRules(VoiceDropConfig config) {
        return Wiring.sampleRules(config);
    }

    @Singleton
    UploadStore uploadStore(S3Client s3) {
        return Wiring.uploadStore(s3);
    }

    /** The operator commands' re-ingest (the API itself ingests through its own routes). */
    @Singleton
    UploadIngestor uploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics,
                                  UploadStore uploads, SampleRules rules, Clock clock) {
        return Wiring.uploadIngestor(jobs, queue, reporter, metrics, uploads, rules, clock);
    }
}
