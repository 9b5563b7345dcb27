package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds events the way an API Gateway HTTP API (payload format 2.0, route {@code ANY /{proxy+}}, stage
 * {@code $default}) delivers them: header names lower-case, {@code rawQueryString} exactly as sent (empty string
 * when there is none), {@code queryStringParameters} percent-decoded with repeated keys joined by commas (absent when
 * there is no query), {@code requestContext.http.path} equal to {@code rawPath}.
 */
final class HttpApiEvents {

    private HttpApiEvents() {
    }

    static APIGatewayV2HTTPEvent get(String pathAndQuery, Map<String, String> headers) {
        return request("GET", pathAndQuery, headers);
    }

    static APIGatewayV2HTTPEvent request(String method, String pathAndQuery, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);

        Map<String, String> h = new LinkedHashMap<>();
        h.put("accept", "*/*");
        h.put("content-length", "0");
        h.put("host", "abc123.execute-api.eu-west-1.amazonaws.com");
        h.put("user-agent", "python-httpx/0.27.0");
        h.put("x-amzn-trace-id", "Root=1-67a0b1c2-0123456789abcdef01234567");
        h.put("x-forwarded-for", "203.0.113.7");
        h.put("x-forwarded-port", "443");
        h.put("x-forwarded-proto", "https");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));

        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("123456789012")
                .withApiId("abc123")
                .withDomainName("abc123.execute-api.eu-west-1.amazonaws.com")
                .withDomainPrefix("abc123")
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(rawPath)
                        .withProtocol("HTTP/1.1")
                        .withSourceIp("203.0.113.7")
                        .withUserAgent(h.get("user-agent"))
                        .build())
                .withRequestId("Jb2kDhs5liAEMlQ=")
                .withRouteKey("ANY /{proxy+}")
                .withStage("$default")
                .withTime("27/Nov/2026:10:00:00 +0000")
                .withTimeEpoch(now.toEpochMilli())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("ANY /{proxy+}")
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery)
                .withHeaders(h)
                .withQueryStringParameters(rawQuery.isEmpty() ? null : joined(rawQuery))
                .withPathParameters(Map.of("proxy", rawPath.substring(1)))
                .withRequestContext(context)
                .withIsBase64Encoded(false)
                .build();
    }

    /** What API Gateway puts in queryStringParameters: decoded, repeats joined with commas. */
    static Map<String, String> joined(String rawQuery) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            m.merge(k, v, (a, b) -> a + "," + b);
        }
        return m;
    }

    /** Decodes like API Gateway; a malformed escape is left as it is. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }
}
