package io.voicedrop.api;

import io.voicedrop.adapters.json.Json;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Response bodies, written to a JSON string by {@link Json} (the shared mapper, so the records' Jackson
 * annotations, null handling and field order are exactly those of the stored data, whatever Micronaut's own mapper is
 * configured to do). Errors use the platform envelope of reference section 7.2:
 * {@code {"success":false,"error":{"code":"...","message":"..."},"detail":"...","trace_id":"<uuid>"}}: the top-level
 * {@code detail} repeats the message for the clients that read that field (section 7.1). A 422 has
 * {@code "detail": [{"loc": ["body", "voices", 2], "msg": "...", "type": "value_error"}, ...]} instead, the official
 * API's validation items under the name its TypeScript SDK reads, so a Fish client can show each reason on its own.
 */
final class Envelope {

    static final String INVALID_TOKEN_MESSAGE = "The specified token is invalid or wrong.";
    private static final String ENVELOPED = "voicedrop.enveloped";

    private Envelope() {
    }

    static MutableHttpResponse<String> ok(Object body) {
        return HttpResponse.ok(Json.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    static MutableHttpResponse<String> error(HttpRequest<?> request, HttpStatus status, String code, String message) {
        return error(request, status, code, message, List.of());
    }

    static MutableHttpResponse<String> error(HttpRequest<?> request, HttpStatus status, String code, String message,
                                             List<FieldProblem> problems) {
        String traceId = Trace.id(request);
        request.setAttribute(ENVELOPED, Boolean.TRUE);
        return HttpResponse.<String>status(status).body(errorBody(code, message, traceId, problems))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(Trace.HEADER, traceId);
    }

    static String errorBody(String code, String message, String traceId) {
        return errorBody(code, message, traceId, List.of());
    }

    private static String errorBody(String code, String message, String traceId, List<FieldProblem> problems) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        if (!problems.isEmpty()) {
            body.put("detail", problems.stream().map(p -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("loc", p.location());
                item.put("msg", p.message());
                item.put("type", "value_error");
                return item;
            }).toList());
        } else {
            // What the official clients read when the body is not Fish's own {status, message} (section 7.1): the
            // legacy Python SDK takes body["detail"] (a KeyError without it), npm fish-audio-sdk detail || message.
            body.put("detail", message);
        }
        body.put("trace_id", traceId);
        return Json.write(body);
    }

    /** True once {@link #error} answered this request, so the response filter leaves the body alone. */
    static boolean isEnveloped(HttpRequest<?> request) {
        return request.getAttribute(ENVELOPED, Boolean.class).orElse(false);
    }

    /**
     * The code and message for an error response that Micronaut made itself (no route, wrong method, a framework
     * exception): never its own body, which may name classes or echo input.
     */
    static String[] forStatus(int status) {
        return switch (status) {
            case 400 -> new String[] {"bad_request", "The request is invalid."};
            case 401 -> new String[] {"invalid_token", INVALID_TOKEN_MESSAGE};
            case 403 -> new String[] {"forbidden", "The request is not allowed."};
            case 404 -> new String[] {"no_api", "The requested API does not exist."};
            case 405 -> new String[] {"method_not_allowed", "The method is not allowed for this API."};
            case 409 -> new String[] {"conflict", "The request conflicts with the current state of the resource."};
            case 406 -> new String[] {"not_acceptable", "The requested media type cannot be produced."};
            case 413 -> new String[] {"payload_too_large", "The request body is too large."};
            case 415 -> new String[] {"unsupported_media_type", "The request media type is not supported."};
            case 429 -> new String[] {"too_many_requests", "Too many requests."};
            default -> status >= 500
                    ? new String[] {"api_error", "Internal error. Quote the trace_id to support."}
                    : new String[] {"bad_request", "The request is invalid."};
        };
    }
}
