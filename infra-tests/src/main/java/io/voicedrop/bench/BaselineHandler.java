package io.voicedrop.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The benchmark's baseline: the smallest useful Java Lambda handler, no framework. Init builds one DynamoDB client
 * (same HTTP client, region and credentials style as VoiceDrop's); the invocation does one GetItem. The benchmark
 * hands it each function's event (Lambda deserializes it whatever the handler does with it), so that a function is
 * compared with a bare handler of its own event type. Reads {@code AWS_REGION}, {@code AWS_ENDPOINT_URL} and
 * {@code JOBS_TABLE}.
 *
 * <p>{@link #prime()} is what AWS documents as invoke priming for SnapStart (run the request path once before the
 * snapshot): the benchmark's primed baseline calls it where a VoiceDrop function runs its priming hook.
 */
public final class BaselineHandler implements RequestHandler<Object, String> {

    private final DynamoDbClient dynamo;
    private final String table = System.getenv("JOBS_TABLE");

    public BaselineHandler() {
        dynamo = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    /** One GetItem before the snapshot, so that the restored instance finds the SDK's request path loaded. */
    public void prime() {
        lookUp();
    }

    @Override
    public String handleRequest(Object input, Context context) {
        return lookUp();
    }

    private String lookUp() {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("jobId", AttributeValue.fromS("baseline"))))
                .hasItem() ? "found" : "not-found";
    }
}
