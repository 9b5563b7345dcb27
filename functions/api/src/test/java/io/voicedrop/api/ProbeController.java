package io.voicedrop.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.voicedrop.adapters.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Test-only routes (this class lives in src/test, so it never ships): they show what a controller sees, and fail on
 * purpose, so the tests can check the MDC, Micronaut's own parameter parsing and the 500 handling.
 */
@Controller("/test")
public class ProbeController {

    static final String SECRET = "SECRET-DETAIL: table arn:aws:dynamodb:eu-west-1:123456789012:table/jobs";

    @Get("/mdc")
    public HttpResponse<String> mdc(HttpRequest<?> request) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("mdc_trace_id", MDC.get(Trace.MDC_KEY));
        seen.put("owner", request.getAttribute(ApiFilter.OWNER_ATTRIBUTE, String.class).orElse(null));
        return Envelope.ok(seen);
    }

    /** Micronaut's own view of the query parameters, next to ours. */
    @Get("/params")
    public HttpResponse<String> params(HttpRequest<?> request) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("micronaut", request.getParameters().asMap());
        seen.put("ours", QueryParams.of(request));
        return HttpResponse.ok(Json.write(seen));
    }

    @Get("/boom")
    public HttpResponse<String> boom() {
        throw new IllegalStateException(SECRET);
    }

    @Get("/error")
    public HttpResponse<String> error() {
        throw new StackOverflowError(SECRET);
    }
}
