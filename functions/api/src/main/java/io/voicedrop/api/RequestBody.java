package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The raw bytes of a request body, exactly as the client sent them: an HTTP API event carries the body as text, or
 * base64 when it is binary ({@code isBase64Encoded}). Read here rather than through Micronaut's body binding, so that
 * multipart and JSON are parsed by code that bounds every size and never fails with a framework error.
 */
record RequestBody(byte[] bytes, String contentType) {

    static RequestBody of(HttpRequest<?> request) {
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        APIGatewayV2HTTPEvent event = QueryParams.apiGatewayEvent(request);
        byte[] bytes;
        if (event != null) {
            String body = event.getBody();
            if (body == null) {
                bytes = new byte[0];
            } else if (event.getIsBase64Encoded()) {
                if (body.length() > ApiSettings.MAX_BODY_BYTES / 3 * 4 + 4) {
                    throw tooLarge();
                }
                try {
                    bytes = Base64.getMimeDecoder().decode(body);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("the request body is not valid base64");
                }
            } else {
                bytes = body.getBytes(StandardCharsets.UTF_8);
            }
        } else {
            Optional<byte[]> b = request.getBody(byte[].class);
            bytes = b.orElse(new byte[0]);
        }
        if (bytes.length > ApiSettings.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return new RequestBody(bytes, contentType == null ? "" : contentType);
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "The request body is larger than " + ApiSettings.MAX_BODY_BYTES + " bytes (4 MiB). Put larger sets of "
                        + "samples in the bucket (incoming/), or send their URLs as JSON.");
    }

    /** The media type without parameters, lower-case. */
    String mediaType() {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** A parameter of the content type ({@code boundary}, {@code charset}), unquoted; null when absent. */
    String parameter(String name) {
        for (String part : contentType.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = part.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }
}
