package io.voicedrop.e2e;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** HTTP calls to the local API that {@link Pipeline#get} does not cover: any method, any headers, multipart bodies. */
final class ApiCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiCalls() {
    }

    /** {@code headers} may hold {@code Authorization} exactly as it should go on the wire (or not at all). */
    static HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers,
                                     String contentType, byte[] body) {
        return send(Pipeline.stack().pipeline.apiBaseUrl(), method, pathAndQuery, headers, contentType, body);
    }

    /** The same, to another API instance of the stack ({@code LocalPipeline#startApi}). */
    static HttpResponse<String> send(String base, String method, String pathAndQuery, Map<String, String> headers,
                                     String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        }
    }

    static HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) {
        return send("GET", pathAndQuery, headers, null, null);
    }

    static Map<String, String> bearer(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        return h;
    }

    /**
     * {@code POST /fish/model} as the official clients send it: multipart, one file part per voice, the other fields
     * as text parts (repeated {@code tags}).
     */
    static HttpResponse<String> createMultipart(String token, String title, List<String> tags, byte[] wav) {
        String boundary = "----voicedrop" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "tts");
        fields.put("train_mode", "fast");
        fields.put("title", title);
        fields.put("visibility", "private");
        for (Map.Entry<String, String> f : fields.entrySet()) {
            part(out, boundary, "Content-Disposition: form-data; name=\"" + f.getKey() + "\"", f.getValue()
                    .getBytes(StandardCharsets.UTF_8));
        }
        for (String tag : tags) {
            part(out, boundary, "Content-Disposition: form-data; name=\"tags\"", tag.getBytes(StandardCharsets.UTF_8));
        }
        part(out, boundary, "Content-Disposition: form-data; name=\"voices\"; filename=\"voice.wav\"\r\n"
                + "Content-Type: audio/wav", wav);
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return send("POST", "/fish/model", bearer(token), "multipart/form-data; boundary=" + boundary,
                out.toByteArray());
    }

    /** A multipart/form-data body built part by part, as a client library would. */
    static final class Form {
        final String boundary = "----voicedrop" + UUID.randomUUID().toString().replace("-", "");
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            part(out, boundary, "Content-Disposition: form-data; name=\"" + name + "\"",
                    value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String filename, String type, byte[] data) {
            part(out, boundary, "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type, data);
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return all.toByteArray();
        }
    }

    private static void part(ByteArrayOutputStream out, String boundary, String headers, byte[] content) {
        out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
