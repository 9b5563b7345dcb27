package io.voicedrop.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * A local stand-in for API Gateway's HTTP API: each HTTP request becomes the payload-2.0 event API Gateway would
 * send (lower-case headers, repeated query keys comma-joined, base64 bodies for binary content) and goes through the
 * real Lambda handler, so the local API exercises exactly the code path of the deployed one.
 *
 * <p>It also enforces the two AWS payload limits in front of the handler, answering with API Gateway's own bodies
 * (not VoiceDrop's envelope), so a client sees for a large body exactly what it would see in AWS:
 * <ul>
 *   <li>HTTP API's payload quota, 10 MB, not adjustable
 *       (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html);</li>
 *   <li>Lambda's 6 MB synchronous Invoke request limit, which applies to the whole serialized event, so a binary body
 *       of about 4.7 MB is already too large once base64 has grown it by a third
 *       (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).</li>
 * </ul>
 */
public final class LocalHttpApi implements AutoCloseable {

    /** HTTP API's payload quota: 10 MB (10,485,760 bytes); a larger request never reaches the integration. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    /** Lambda's synchronous Invoke limit on the event JSON, 6 MB (6,291,456 bytes): above it, RequestEntityTooLarge. */
    static final int MAX_INVOKE_BYTES = 6 * 1024 * 1024;

    /**
     * HTTP API's answer to both, as {"message":"<reason phrase>"} like its other errors; AWS documents neither body.
     * For the Lambda limit the Lambda guide says a rejected invocation gives a 500 (services-apigateway-errors.html),
     * but AWS's own API Gateway emulator (aws/aws-lambda-dotnet LambdaTestTool-v2, LargePayloadTests) turns Lambda's
     * RequestEntityTooLargeException into this 413 for HTTP APIs, as REST APIs are seen to: we follow the observed 413.
     */
    private static final String TOO_LARGE = "Request Entity Too Large";

    /** Lambda's own event serializer (its Jackson, for this event type): sizes the event as Invoke would carry it. */
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENT_JSON =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, LocalHttpApi.class.getClassLoader());

    private final HttpServer server;

    public LocalHttpApi(int port, BiFunction<APIGatewayV2HTTPEvent, LocalLambdaContext, APIGatewayV2HTTPResponse> handler,
                        Duration timeout) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                // Keeps at most one byte past the quota: enough to know the body is too large, never the whole of it.
                byte[] body = exchange.getRequestBody().readNBytes(MAX_PAYLOAD_BYTES + 1);
                if (body.length > MAX_PAYLOAD_BYTES) {
                    // The rest is read and dropped, not kept: closing with unread bytes resets the connection, and
                    // the client would lose the 413 it is owed (the reason for nginx's lingering close).
                    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    gatewayError(exchange, 413, TOO_LARGE);
                    return;
                }
                APIGatewayV2HTTPEvent event = toEvent(exchange, body);
                if (serializedSize(event) > MAX_INVOKE_BYTES) {
                    gatewayError(exchange, 413, TOO_LARGE);
                    return;
                }
                APIGatewayV2HTTPResponse r;
                try {
                    r = handler.apply(event, new LocalLambdaContext("ApiFunction", timeout));
                } catch (RuntimeException e) {
                    // A function error: HTTP API hides it behind its generic 500.
                    gatewayError(exchange, 500, "Internal Server Error");
                    return;
                }
                write(exchange, r);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange ex, byte[] body) {
        String rawQuery = ex.getRequestURI().getRawQuery();
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = contentType.startsWith("application/json") || contentType.startsWith("text/");
        // HTTP API hands the function the path percent-decoded (rawPath too): "/fish/model/a%2Fb" arrives as
        // "/fish/model/a/b", "%C3%A9" as "é". The handler must cope with exactly that.
        String path = percentDecoded(ex.getRequestURI().getRawPath());
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(ex.getRequestMethod()).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp(ex.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", "")).build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).withRequestId(UUID.randomUUID().toString()).withStage("$default")
                .withRouteKey("$default").withTimeEpoch(System.currentTimeMillis()).withApiId("local")
                .withDomainName(headers.getOrDefault("host", "127.0.0.1")).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default")
                .withRawPath(path).withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers).withQueryStringParameters(query.isEmpty() ? null : query)
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text).build();
    }

    /** UTF-8 percent-decoding of a path ({@code +} stays a plus); a malformed escape is kept as it is. */
    static String percentDecoded(String raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The size of the event as JSON, counted without holding the JSON in memory. */
    private static long serializedSize(APIGatewayV2HTTPEvent event) {
        long[] size = {0};
        EVENT_JSON.toJson(event, new OutputStream() {
            @Override public void write(int b) { size[0]++; }
            @Override public void write(byte[] b, int off, int len) { size[0] += len; }
        });
        return size[0];
    }

    /** An answer of API Gateway's own, in its {"message":...} shape, rather than one from the function. */
    private static void gatewayError(HttpExchange ex, int status, String message) throws IOException {
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void write(HttpExchange ex, APIGatewayV2HTTPResponse r) throws IOException {
        if (r.getHeaders() != null) {
            r.getHeaders().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        }
        if (r.getMultiValueHeaders() != null) {
            r.getMultiValueHeaders().forEach((k, vs) -> {
                if (r.getHeaders() == null || !r.getHeaders().containsKey(k)) {
                    ((List<String>) vs).forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
        }
        byte[] body = r.getBody() == null ? new byte[0]
                : r.getIsBase64Encoded() ? Base64.getDecoder().decode(r.getBody()) : r.getBody().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(r.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
