package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local HTTP API enforces AWS's payload limits in front of the handler: HTTP API's 10 MB quota on the body and
 * Lambda's 6 MB limit on the event, which base64 reaches with a binary body of about 4.7 MB. A recording handler
 * stands in for the API function, so the test needs no emulator.
 */
class LocalHttpApiLimitsTest {

    private static final String TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}";

    private final List<APIGatewayV2HTTPEvent> calls = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private LocalHttpApi api;

    @BeforeEach
    void start() throws IOException {
        api = new LocalHttpApi(0, (event, context) -> {
            calls.add(event);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("ok").build();
        }, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void a_1_mb_binary_body_reaches_the_handler_base64_encoded_and_intact() throws Exception {
        byte[] body = bytes(1_000_000);
        assertEquals(200, post(body).statusCode());
        assertReachedIntact(body);
    }

    @Test
    void a_4_3_mb_binary_body_still_fits_the_lambda_limit_once_base64_encoded() throws Exception {
        byte[] body = bytes(4_300_000);
        assertEquals(200, post(body).statusCode());
        assertReachedIntact(body);
    }

    @Test
    void a_5_mb_binary_body_makes_an_event_over_the_lambda_limit_and_never_reaches_the_handler() throws Exception {
        HttpResponse<String> r = post(bytes(5_000_000));
        assertEquals(413, r.statusCode());
        assertEquals(TOO_LARGE, r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertEquals(List.of(), calls);
    }

    @Test
    void an_11_mb_body_is_over_the_http_api_quota_and_never_reaches_the_handler() throws Exception {
        HttpResponse<String> r = post(bytes(11 * 1024 * 1024));
        assertEquals(413, r.statusCode());
        assertEquals(TOO_LARGE, r.body());
        assertEquals(List.of(), calls);
    }

    private void assertReachedIntact(byte[] sent) {
        assertEquals(1, calls.size());
        APIGatewayV2HTTPEvent event = calls.get(0);
        assertTrue(event.getIsBase64Encoded(), "a binary body travels base64-encoded");
        assertArrayEquals(sent, Base64.getDecoder().decode(event.getBody()));
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/uploads"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
