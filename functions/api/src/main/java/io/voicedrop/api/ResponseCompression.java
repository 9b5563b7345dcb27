package io.voicedrop.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for text answers (the console's files, JSON pages of models) when the client accepts it. API Gateway HTTP
 * APIs never compress (unlike REST APIs and CloudFront), so the function does: the compressed body goes back
 * base64-encoded with {@code isBase64Encoded}, which API Gateway decodes into the bytes sent. Small bodies (under
 * 1 KiB, where gzip saves nothing) and bodies that are already binary are left alone. Clients that send no
 * {@code Accept-Encoding} (curl without {@code --compressed}, Java's HttpClient) get the plain body, as before.
 */
final class ResponseCompression {

    static final int MIN_BYTES = 1024;

    private ResponseCompression() {
    }

    static APIGatewayV2HTTPResponse apply(Map<String, String> requestHeaders, APIGatewayV2HTTPResponse response) {
        if (response.getBody() == null || response.getIsBase64Encoded() || !acceptsGzip(requestHeaders)) {
            return response;
        }
        Map<String, String> headers = response.getHeaders() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(response.getHeaders());
        if (header(headers, "Content-Encoding") != null || !compressible(header(headers, "Content-Type"))) {
            return response;
        }
        byte[] plain = response.getBody().getBytes(StandardCharsets.UTF_8);
        if (plain.length < MIN_BYTES) {
            return response;
        }
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Length"));
        headers.put("Content-Encoding", "gzip");
        String vary = header(headers, "Vary");
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Vary"));
        headers.put("Vary", vary == null || vary.isBlank() ? "Accept-Encoding" : vary + ", Accept-Encoding");
        response.setHeaders(headers);
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().keySet().removeIf(k -> k.equalsIgnoreCase("Content-Length")
                    || k.equalsIgnoreCase("Vary") || k.equalsIgnoreCase("Content-Encoding"));
        }
        response.setBody(Base64.getEncoder().encodeToString(gzip(plain)));
        response.setIsBase64Encoded(true);
        return response;
    }

    /** gzip listed with a q-value above 0 (or {@code *}), as RFC 9110 12.5.3 reads {@code Accept-Encoding}. */
    static boolean acceptsGzip(Map<String, String> requestHeaders) {
        String accept = requestHeaders == null ? null : header(requestHeaders, "Accept-Encoding");
        if (accept == null) {
            return false;
        }
        for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.strip().split(";");
            String coding = p[0].strip();
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                double q = 1;
                for (int i = 1; i < p.length; i++) {
                    String param = p[i].strip();
                    if (param.startsWith("q=")) {
                        try {
                            q = Double.parseDouble(param.substring(2));
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (q > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.startsWith("application/json") || t.startsWith("application/yaml")
                || t.startsWith("application/javascript") || t.startsWith("image/svg+xml");
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
