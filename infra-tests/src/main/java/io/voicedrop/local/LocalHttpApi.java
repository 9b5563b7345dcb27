package io.voicedrop.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
 */
public final class LocalHttpApi implements AutoCloseable {

    private final HttpServer server;

    public LocalHttpApi(int port, BiFunction<APIGatewayV2HTTPEvent, LocalLambdaContext, APIGatewayV2HTTPResponse> handler,
                        Duration timeout) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                APIGatewayV2HTTPResponse r = handler.apply(toEvent(exchange), new LocalLambdaContext("ApiFunction", timeout));
                write(exchange, r);
            } catch (RuntimeException e) {
                byte[] body = ("{\"message\":\"Internal Server Error\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange ex) throws IOException {
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
        byte[] body = ex.getRequestBody().readAllBytes();
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = contentType.startsWith("application/json") || contentType.startsWith("text/");
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(ex.getRequestMethod()).withPath(ex.getRequestURI().getRawPath()).withProtocol("HTTP/1.1")
                .withSourceIp(ex.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", "")).build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).withRequestId(UUID.randomUUID().toString()).withStage("$default")
                .withRouteKey("$default").withTimeEpoch(System.currentTimeMillis()).withApiId("local")
                .withDomainName(headers.getOrDefault("host", "127.0.0.1")).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default")
                .withRawPath(ex.getRequestURI().getRawPath()).withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers).withQueryStringParameters(query.isEmpty() ? null : query)
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text).build();
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
