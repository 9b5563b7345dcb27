package io.voicedrop.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.local.DemoAudio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** What a user does to the running pipeline in these tests: upload to the bucket, call the API, wait. */
final class Pipeline {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "REJECTED");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Pipeline() {
    }

    static TestStack stack() {
        return TestStack.get();
    }

    /** Uploads bytes and returns the id of the job this exact object should become. */
    static String upload(String key, byte[] bytes) {
        TestStack s = stack();
        PutObjectResponse put = s.pipeline.s3().putObject(b -> b.bucket(s.pipeline.bucket()).key(key), RequestBody.fromBytes(bytes));
        return UploadIngestor.jobIdFor(new UploadedObject(s.pipeline.bucket(), key, put.versionId(), put.eTag(), bytes.length));
    }

    static byte[] speech(int seconds) {
        return DemoAudio.wav(Duration.ofSeconds(seconds), 16_000, 1, seconds);
    }

    static HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, stack().apiToken);
    }

    static HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack().pipeline.apiBaseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** Polls {@code GET /jobs/{id}} until the job satisfies {@code done}; fails with the last answer on timeout. */
    static JsonNode awaitJob(String jobId, Predicate<JsonNode> done, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(until)) {
            HttpResponse<String> r = get("/jobs/" + jobId);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode job = json(r);
                if (done.test(job)) {
                    return job;
                }
            }
            sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not reach the expected state in " + timeout + "; last: " + last);
    }

    static JsonNode awaitTerminal(String jobId) {
        return awaitJob(jobId, j -> TERMINAL.contains(j.path("status").asText()), Duration.ofSeconds(60));
    }

    /** Create calls upstream that carry this job's marker tag: how many times the job was billed. */
    static long createCallsFor(String jobId) {
        return createCallsFor(stack().simulator, jobId);
    }

    /** The same, for another simulator than the shared stack's. */
    static long createCallsFor(io.voicedrop.sim.FishSimulator simulator, String jobId) {
        String marker = io.voicedrop.core.service.JobRunner.markerTag(jobId);
        return simulator.createRequestBodies().stream().filter(b -> b.contains(marker)).count();
    }

    /** The status report the pipeline keeps for an upload ({@code status/<path>.json}), once it exists. */
    static JsonNode awaitReport(String sourceKey, Predicate<JsonNode> done, Duration timeout) {
        return awaitReport(stack().pipeline, sourceKey, done, timeout);
    }

    /** The same, in another pipeline than the shared stack's. */
    static JsonNode awaitReport(io.voicedrop.local.LocalPipeline pipeline, String sourceKey, Predicate<JsonNode> done,
                                Duration timeout) {
        String key = io.voicedrop.core.service.UploadLayout.statusKey(sourceKey);
        Instant until = Instant.now().plus(timeout);
        String last = "(none)";
        while (Instant.now().isBefore(until)) {
            try {
                String body = pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket()).key(key)).asUtf8String();
                last = body;
                JsonNode report = Json.MAPPER.readTree(body);
                if (done.test(report)) {
                    return report;
                }
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException notYet) {
                // keep waiting
            } catch (java.io.IOException e) {
                throw new AssertionError("report " + key + " is not JSON", e);
            }
            sleep(100);
        }
        throw new AssertionError("report " + key + " did not reach the expected state in " + timeout + "; last: " + last);
    }

    /** Every key under {@code prefix}, all pages. */
    static java.util.List<String> keysUnder(String prefix) {
        TestStack s = stack();
        java.util.List<String> keys = new java.util.ArrayList<>();
        s.pipeline.s3().listObjectsV2Paginator(b -> b.bucket(s.pipeline.bucket()).prefix(prefix))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** A small audio file from {@code src/test/resources/audio/}. */
    static byte[] fixture(String name) {
        try (java.io.InputStream in = Pipeline.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
