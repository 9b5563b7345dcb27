package io.voicedrop.adapters.fish;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;

/**
 * Reads an upstream error body in any of the shapes the contract lists: the platform envelope
 * {@code {"error": {"code", "message"}, "trace_id"}} (or {@code error} as a bare string), Fish's
 * {@code {"status", "message"}}, a 422 validation array (top level or under {@code detail}), or plain text.
 */
record FishErrorBody(String code, String message, String traceId) {

    static FishErrorBody parse(int status, String body) {
        String fallbackCode = defaultCode(status);
        if (body == null || body.isBlank()) {
            return new FishErrorBody(fallbackCode, "HTTP " + status, null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return new FishErrorBody(fallbackCode, truncate(body.strip()), null);
        }
        if (node == null) {
            return new FishErrorBody(fallbackCode, "HTTP " + status, null);
        }
        String traceId = text(node.get("trace_id"));
        JsonNode error = node.get("error");
        if (error != null && error.isObject()) {
            return new FishErrorBody(orElse(text(error.get("code")), fallbackCode),
                    orElse(text(error.get("message")), "HTTP " + status), traceId);
        }
        if (error != null && error.isTextual()) {
            return new FishErrorBody(fallbackCode, error.asText(), traceId);
        }
        JsonNode validation = node.isArray() ? node : node.get("detail");
        if (validation != null && validation.isArray()) {
            return new FishErrorBody("validation_error", validationMessage(validation), traceId);
        }
        String message = orElse(text(node.get("message")), orElse(text(node.get("detail")), "HTTP " + status));
        return new FishErrorBody(fallbackCode, message, traceId);
    }

    private static String validationMessage(JsonNode items) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode item : items) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            JsonNode loc = item.get("loc");
            if (loc != null && loc.isArray()) {
                StringBuilder path = new StringBuilder();
                loc.forEach(p -> path.append(path.length() == 0 ? "" : ".").append(p.asText()));
                sb.append(path).append(": ");
            }
            sb.append(orElse(text(item.get("msg")), "invalid"));
        }
        return truncate(sb.length() == 0 ? "validation failed" : sb.toString());
    }

    private static String defaultCode(int status) {
        switch (status) {
            case 400: return "bad_request";
            case 401: return "invalid_token";
            case 402: return "insufficient_credits";
            case 403: return "forbidden";
            case 404: return "not_found";
            case 422: return "validation_error";
            case 429: return "too_many_requests";
            default: return status >= 500 ? "api_error" : "http_" + status;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String orElse(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
