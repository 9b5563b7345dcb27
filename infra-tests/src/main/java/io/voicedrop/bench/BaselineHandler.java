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
 * (same HTTP client, region and credentials style as VoiceDrop's); the invocation does one GetItem. Reads
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL} and {@code JOBS_TABLE}.
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

    @Override
    public String handleRequest(Object input, Context context) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("jobId", AttributeValue.fromS("baseline"))))
                .hasItem() ? "found" : "not-found";
    }
}
