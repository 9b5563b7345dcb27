package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpRequestWrapper;
import io.micronaut.servlet.http.ServletHttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of a request with every repeat kept and nothing split.
 *
 * <p>Why not Micronaut's {@code request.getParameters()}: an HTTP API (payload 2.0) event carries the query twice.
 * {@code queryStringParameters} joins repeated keys with commas ({@code tag=a&tag=b} arrives as {@code tag: "a,b"}),
 * so it cannot tell two tags from one tag containing a comma; micronaut-function-aws-api-proxy 4.x builds its
 * parameters from that map and splits every value on commas (so {@code title=Hello, world} would become two values).
 * {@code rawQueryString} is the query exactly as the client sent it, so it is parsed here instead: split on
 * {@code &}, then on the first {@code =}, then percent-decoded as {@code application/x-www-form-urlencoded}
 * ({@code +} is a space). Only when an event has no {@code rawQueryString} (hand-made events) is
 * {@code queryStringParameters} used, split on commas as API Gateway joined them. Outside Lambda, Micronaut's
 * parameters are used.
 */
final class QueryParams {

    private static final int MAX_UNWRAP = 8;

    private QueryParams() {
    }

    static Map<String, List<String>> of(HttpRequest<?> request) {
        APIGatewayV2HTTPEvent event = apiGatewayEvent(request);
        if (event != null) {
            if (event.getRawQueryString() != null) {
                return parse(event.getRawQueryString());
            }
            Map<String, List<String>> joined = new LinkedHashMap<>();
            if (event.getQueryStringParameters() != null) {
                event.getQueryStringParameters().forEach((k, v) -> joined.put(k, List.of(v.split(",", -1))));
            }
            return joined;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, List.copyOf(values)));
        return params;
    }

    /**
     * Parses a raw query string, keeping repeats in order.
     *
     * @throws ApiException 400 when a percent escape is malformed
     */
    static Map<String, List<String>> parse(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the query string is malformed");
        }
    }

    static APIGatewayV2HTTPEvent apiGatewayEvent(HttpRequest<?> request) {
        HttpRequest<?> current = request;
        for (int i = 0; i < MAX_UNWRAP && current != null; i++) {
            if (current instanceof ServletHttpRequest<?, ?> servlet
                    && servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event) {
                return event;
            }
            if (current instanceof HttpRequestWrapper<?> wrapper) {
                current = wrapper.getDelegate();
            } else {
                return null;
            }
        }
        return null;
    }
}
