package io.voicedrop.adapters.aws;

import io.voicedrop.config.VoiceDropConfig;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients the same way for Lambda and for a local emulator. The region and credentials are given
 * explicitly so the SDK never probes profiles or instance metadata (slow on a cold start); the light
 * URLConnection HTTP client keeps the artifact small.
 */
public final class AwsClients {

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;

    public AwsClients(VoiceDropConfig config) {
        this(config, List.of());
    }

    /**
     * Clients that also run {@code interceptors} on every call: the benchmarks count calls this way, at the SDK
     * level, by service and operation. Functions in AWS use the constructor without.
     */
    public AwsClients(VoiceDropConfig config, List<ExecutionInterceptor> interceptors) {
        this.region = Region.of(config.region());
        this.endpoint = config.awsEndpoint();
        this.credentials = pickCredentials(endpoint);
        this.interceptors = List.copyOf(interceptors);
    }

    private static AwsCredentialsProvider pickCredentials(Optional<URI> endpoint) {
        if (System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            // SnapStart functions get their role's credentials from a local endpoint, not environment variables.
            return ContainerCredentialsProvider.builder().build();
        }
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (endpoint.isPresent() && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            // Emulators accept any key; a fixed one keeps local runs independent of the developer's AWS profile.
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials);
        endpoint.ifPresent(builder::endpointOverride);
        if (!interceptors.isEmpty()) {
            builder.overrideConfiguration(o -> interceptors.forEach(o::addExecutionInterceptor));
        }
        return builder;
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder()).httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(endpoint.isPresent()).build();
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Only the local runner reads the jobs table's stream itself; in AWS, Lambda's event source mapping does. */
    public DynamoDbStreamsClient dynamoDbStreams() {
        return configure(DynamoDbStreamsClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Browser-upload forms, addressed like {@link #presigner()}'s URLs (path style against an emulator). */
    public S3PostPolicySigner postPolicySigner(java.time.Clock clock) {
        S3Utilities.Builder b = S3Utilities.builder().region(region)
                .s3Configuration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
        endpoint.ifPresent(b::endpoint);
        return new S3PostPolicySigner(credentials, region, b.build(), clock);
    }

    public S3Presigner presigner() {
        S3Presigner.Builder b = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }
}
