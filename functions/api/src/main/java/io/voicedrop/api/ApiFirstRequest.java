package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.ApiKey;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.OfflineAwsHttp;
import io.voicedrop.wiring.RehearsalContext;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's first request, rehearsed before a SnapStart snapshot ({@link FirstRequest}): an authenticated
 * {@code GET /fish/model?page_size=10} as API Gateway delivers it, through the header clean-up, Micronaut's routing,
 * the filter (API key looked up, rate limit), the catalog query and the JSON answer (gzip-compressed), on the offline
 * clients. The key is one only the rehearsal's offline key table knows.
 */
@Singleton
public class ApiFirstRequest implements FirstRequest<ApplicationContext> {

    private static final String KEY = "snapstart-priming-key-not-valid-anywhere";
    @Override
    public String handler() {
        return ApiHandler.class.getName();
    }

    @Override
    public void stage(OfflineAwsHttp aws, VoiceDropConfig config) {
        aws.putItem(config.apiKeysTable(), "{\"keyHash\":{\"S\":\"" + ApiKey.hashOf(KEY) + "\"},\"owner\":{\"S\":\"priming\"},"
                + "\"label\":{\"S\":\"SnapStart priming\"},\"enabled\":{\"BOOL\":true},"
                + "\"createdAt\":{\"S\":\"2026-01-01T00:00:00Z\"}}");
    }

    @Override
    public void run(ApplicationContext offline) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("accept-encoding", "gzip, deflate");
        headers.put("authorization", "Bearer " + KEY);
        headers.put("host", "priming.execute-api.us-east-1.amazonaws.com");
        headers.put("x-forwarded-proto", "https");
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/fish/model")
                .withRawQueryString("page_size=10")
                .withQueryStringParameters(Map.of("page_size", "10"))
                .withHeaders(headers)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("snapstart-priming")
                        .withStage("$default")
                        .withDomainName("priming.execute-api.us-east-1.amazonaws.com")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET").withPath("/fish/model").withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").withUserAgent("voicedrop-priming").build())
                        .withTimeEpoch(System.currentTimeMillis())
                        .build())
                .withIsBase64Encoded(false)
                .build();
        APIGatewayV2HTTPResponse response = new ApiHandler(offline).handleRequest(event, new RehearsalContext());
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("the rehearsed list request answered " + response.getStatusCode());
        }
    }
}
