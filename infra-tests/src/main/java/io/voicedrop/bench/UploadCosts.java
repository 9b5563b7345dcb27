package io.voicedrop.bench;

import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalPipeline;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What an upload costs before and around the worker, measured the same way as the drain: M samples dropped into
 * the bucket (S3 event → ingest), then M models created through the API ({@code POST /fish/model} with one
 * sample, as the official clients send it, which waits for the worker's create, then one
 * {@code GET /fish/model/{id}}).
 */
final class UploadCosts {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private UploadCosts() {
    }

    /** Calls and invocations of one way in, for {@code uploads} uploads. */
    record Phase(int uploads, Map<AwsCallMeter.Key, AwsCallMeter.Tally> calls, Map<String, Invocations.Stats> invocations) {
    }

    record Measured(Phase bucket, Phase api, long sampleBytes) {
    }

    static Measured measure(LocalPipeline pipeline, AwsCallMeter meter, Invocations invocations, int uploads)
            throws Exception {
        byte[] wav = DemoAudio.wav(Duration.ofSeconds(5), 16_000, 1, 3);
        Phase bucket = phase(meter, invocations, uploads, () -> bucketUploads(pipeline, wav, uploads));
        String key = pipeline.createApiKey("bench-costs", "bench");
        Phase api = phase(meter, invocations, uploads, () -> apiCreates(pipeline, key, wav, uploads));
        return new Measured(bucket, api, wav.length);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static Phase phase(AwsCallMeter meter, Invocations invocations, int uploads, Work work) throws Exception {
        meter.reset();
        invocations.reset();
        meter.start();
        invocations.start();
        work.run();
        Thread.sleep(2000); // the stream's last announcements
        meter.stop();
        invocations.stop();
        return new Phase(uploads, meter.calls(), invocations.stats());
    }

    private static void bucketUploads(LocalPipeline pipeline, byte[] wav, int uploads) throws InterruptedException {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        Set<String> ended = ConcurrentHashMap.newKeySet();
        pipeline.onJobChange(j -> {
            if (j.status().isTerminal() && j.sourceKeys().stream().anyMatch(keys::contains)) {
                ended.add(j.jobId());
            }
        });
        MDC.put("service", "benchmark");
        try {
            for (int i = 0; i < uploads; i++) {
                String key = "incoming/bench-costs/" + UUID.randomUUID() + ".wav";
                keys.add(key);
                pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key).contentType("audio/wav"),
                        RequestBody.fromBytes(wav));
            }
        } finally {
            MDC.remove("service");
        }
        Instant until = Instant.now().plus(Duration.ofMinutes(3));
        while (ended.size() < uploads && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
    }

    private static void apiCreates(LocalPipeline pipeline, String apiKey, byte[] wav, int uploads) throws Exception {
        for (int i = 0; i < uploads; i++) {
            String boundary = "----bench" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            part(body, boundary, "name=\"type\"", "tts".getBytes(StandardCharsets.UTF_8));
            part(body, boundary, "name=\"title\"", ("bench api " + i).getBytes(StandardCharsets.UTF_8));
            part(body, boundary, "name=\"visibility\"", "private".getBytes(StandardCharsets.UTF_8));
            part(body, boundary, "name=\"voices\"; filename=\"voice.wav\"\r\nContent-Type: audio/wav", wav);
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.apiBaseUrl()
                            + "/fish/model")).header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = io.voicedrop.adapters.json.Json.MAPPER.readTree(created.body()).path("_id").asText("");
            if (created.statusCode() != 201 || id.isEmpty()) {
                throw new IllegalStateException("POST /fish/model answered " + created.statusCode() + ": "
                        + created.body());
            }
            HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.apiBaseUrl() + "/fish/model/" + id))
                    .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void part(ByteArrayOutputStream out, String boundary, String disposition, byte[] content) {
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; " + disposition + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
