package io.voicedrop.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoApiKeyStore;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.port.ApiKeyStore;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.UploadFormSigner;
import io.voicedrop.core.port.UploadStore;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.BrowserUploads;
import io.voicedrop.core.service.CoverStore;
import io.voicedrop.core.service.IngestLimits;
import io.voicedrop.core.service.ModelEditor;
import io.voicedrop.core.service.UpstreamCalls;
import io.voicedrop.core.service.JobSubmitter;
import io.voicedrop.core.service.SampleLinks;
import io.voicedrop.core.service.SampleRules;
import io.voicedrop.core.service.Sleeper;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The API function's own beans. Everything else ({@link VoiceDropConfig}, {@link DynamoDbClient}, the model catalog,
 * the job store, the queue, the clock) comes from {@link io.voicedrop.wiring.VoiceDropBeans}. Tests replace any of
 * them with {@code @Requires(missingBeans)} or bean replacement.
 */
@Factory
public class ApiBeans {

    @Singleton
    @Requires(missingBeans = ApiSettings.class)
    ApiSettings apiSettings() {
        return ApiSettings.fromEnvironment();
    }

    @Singleton
    @Requires(missingBeans = ApiKeyStore.class)
    ApiKeyStore apiKeyStore(DynamoDbClient dynamo, VoiceDropConfig config, Clock clock) {
        return new DynamoApiKeyStore(dynamo, config.apiKeysTable(), clock);
    }

    @Singleton
    @Requires(missingBeans = SampleUploads.class)
    SampleUploads sampleUploads(SampleStorage storage) {
        return storage::put;
    }

    /** Edits call the upstream while the client waits: free calls, retried within the request's budget. */
    @Singleton
    ModelEditor modelEditor(ModelCatalog catalog, JobStore jobs, JobOwnership ownership, FishApi fish,
                            UpstreamThrottle throttle, RetryPolicy retry, SampleStorage storage,
                            SampleUrlSigner signer, VoiceDropConfig config, Clock clock) {
        return new ModelEditor(catalog, jobs, ownership, fish, new UpstreamCalls(throttle, retry, Sleeper.REAL, clock),
                new CoverStore(storage, signer, config.bucket(), config.presignExpiry()), clock);
    }

    @Singleton
    @Requires(missingBeans = VoiceFetcher.class)
    VoiceFetcher voiceFetcher(ApiSettings settings, VoiceDropConfig config) {
        return new VoiceFetcher(settings.allowLocalVoiceUrls(),
                Math.min(settings.voiceDownloadMaxBytes(), config.maxSampleBytes()));
    }

    @Singleton
    JobAccess jobAccess(JobOwnership ownership) {
        return new JobAccess(ownership);
    }

    @Singleton
    ModelSubmissions modelSubmissions(JobStore jobs, JobQueue queue, Metrics metrics, JobOwnership ownership,
                                      SampleUploads uploads, VoiceFetcher fetcher, SampleRules rules,
                                      VoiceDropConfig config, ApiSettings settings, Clock clock) {
        // No status report for API jobs: the caller follows the job with GET /jobs/{id}, and the API function may
        // not write under status/ (the worker reports there once it runs the job).
        JobSubmitter submitter = new JobSubmitter(jobs, queue, job -> { }, metrics, clock);
        return new ModelSubmissions(submitter, jobs, ownership, uploads, fetcher, rules, config, settings, clock);
    }

    @Singleton
    ModelProvenance modelProvenance(ModelCatalog catalog, JobStore jobs, JobAccess access) {
        return new ModelProvenance(catalog, jobs, access);
    }

    @Singleton
    @Requires(missingBeans = UploadFormSigner.class)
    UploadFormSigner uploadFormSigner(AwsClients aws, Clock clock) {
        return aws.postPolicySigner(clock);
    }

    @Singleton
    BrowserUploads browserUploads(UploadFormSigner signer, UploadStore store, JobStore jobs, VoiceDropConfig config,
                                  Clock clock) {
        return new BrowserUploads(signer, store, jobs, new IngestLimits(config.maxSampleBytes(),
                config.maxSamplesPerModel(), config.maxTotalDuration()), config.bucket(), clock);
    }

    @Singleton
    SampleLinks sampleLinks(SampleUrlSigner signer) {
        return new SampleLinks(signer);
    }

    @Singleton
    ConsoleAssets consoleAssets() {
        return ConsoleAssets.load();
    }

    /** The bucket's origin comes from the SDK's own addressing (no call, no credentials): the CSP must name it. */
    @Singleton
    ConsolePolicy consolePolicy(AwsClients aws, VoiceDropConfig config, Clock clock) {
        return new ConsolePolicy(aws.postPolicySigner(clock).bucketOrigin(config.bucket()));
    }

    @Singleton
    CreateWait createWait(JobStore jobs, ModelCatalog catalog, Clock clock) {
        return new CreateWait(jobs, catalog, Sleeper.REAL, clock);
    }
}
