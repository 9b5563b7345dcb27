package io.voicedrop.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Downloads every voice URL the way upstream must before training, so that an expired or
 * wrongly signed presigned S3 URL fails in tests exactly where it would fail in production.
 */
final class VoiceFetcher {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Throws a 400 {@code bad_request} naming the first voice that cannot be fetched. */
    void fetchAll(List<String> voices, Duration timeout) {
        for (int i = 0; i < voices.size(); i++) {
            String problem = fetch(voices.get(i).trim(), timeout);
            if (problem != null) {
                throw CreateRequest.bad("voices[" + i + "] could not be fetched: " + problem);
            }
        }
    }

    /** @return null on success, otherwise a short reason */
    private String fetch(String url, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    return "HTTP " + response.statusCode();
                }
                // Stream to nowhere: samples can be megabytes and only their presence matters here.
                long size = body.transferTo(OutputStream.nullOutputStream());
                return size == 0 ? "empty body" : null;
            }
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
