package io.voicedrop.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.sim.FishSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * {@code scripts/run-local.sh}: VoiceDrop on this machine with no AWS account. Starts an emulator (or uses
 * {@code --aws-endpoint}), the Fish simulator (unless {@code --fish-url} and {@code --fish-token} are given), the
 * three functions and a local HTTP API, then prints where everything is. {@code --demo} uploads generated audio,
 * follows the job until the model exists, prints the list API's answer and exits.
 */
public final class LocalRun {

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (opts.containsKey("help")) {
            System.out.println("usage: run-local.sh [--demo] [--aws-endpoint URL] [--fish-url URL --fish-token TOKEN]"
                    + " [--port N] [--template PATH]");
            return;
        }
        FishSimulator simulator = null;
        String fishUrl = opts.get("fish-url");
        String fishToken = opts.get("fish-token");
        if (fishUrl == null) {
            simulator = FishSimulator.start();
            fishUrl = simulator.baseUrl();
            fishToken = simulator.token();
        } else if (fishToken == null) {
            throw new IllegalArgumentException("--fish-url needs --fish-token");
        }
        Path template = Path.of(opts.getOrDefault("template", findTemplate()));
        LocalOptions options = new LocalOptions(opts.get("aws-endpoint"), fishUrl, fishToken,
                Integer.parseInt(opts.getOrDefault("port", "0")), 2, template, Map.of(),
                // Locally, sample URLs for POST /fish/model point at this machine (a file server on localhost).
                Map.of("API_ALLOW_LOCAL_VOICE_URLS", "true"));
        LocalPipeline pipeline = LocalPipeline.start(options);
        String token = pipeline.createApiKey("local", "local runner");
        System.out.println("S3 endpoint: " + pipeline.s3Endpoint());
        System.out.println("Bucket: " + pipeline.bucket());
        System.out.println("API base URL: " + pipeline.apiBaseUrl());
        System.out.println("API token: " + token);
        printConsole(pipeline);
        System.out.println("(AWS emulator: " + pipeline.emulatorName() + "; upstream: "
                + (simulator != null ? "Fish simulator " + fishUrl : fishUrl)
                + "; voice URLs may be http and local: API_ALLOW_LOCAL_VOICE_URLS=true)");
        if (opts.containsKey("demo")) {
            int code = runDemo(pipeline, token);
            pipeline.close();
            if (simulator != null) {
                simulator.close();
            }
            System.exit(code);
        }
        System.out.println("Drop audio under s3://" + pipeline.bucket() + "/incoming/ ; Ctrl-C stops.");
        new CountDownLatch(1).await();
    }

    /** The console's line of the start-up summary. */
    static void printConsole(LocalPipeline pipeline) {
        System.out.println("Console: " + pipeline.consoleUrl() + " (sign in with the API token)");
    }

    private static int runDemo(LocalPipeline pipeline, String token) throws Exception {
        String key = "incoming/demo-voice.wav";
        byte[] audio = DemoAudio.wav(Duration.ofSeconds(31), 22_050, 1, 42);
        PutObjectResponse put = pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key).contentType("audio/wav"),
                RequestBody.fromBytes(audio));
        String jobId = UploadIngestor.jobIdFor(new UploadedObject(pipeline.bucket(), key, put.versionId(), put.eTag(), audio.length));
        System.out.println("demo: uploaded s3://" + pipeline.bucket() + "/" + key + " (" + audio.length + " bytes), job " + jobId);
        HttpClient http = HttpClient.newHttpClient();
        String last = "";
        Instant until = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(until)) {
            HttpResponse<String> r = get(http, pipeline.apiBaseUrl() + "/jobs/" + jobId, token);
            String status = r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()).path("status").asText() : "waiting for ingest";
            if (!status.equals(last)) {
                System.out.println("demo: job " + status);
                last = status;
            }
            if (status.equals("SUCCEEDED")) {
                HttpResponse<String> list = get(http, pipeline.apiBaseUrl() + "/fish/model?page_size=10", token);
                JsonNode body = Json.MAPPER.readTree(list.body());
                System.out.println("demo: GET /fish/model →");
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
                return body.path("total").asLong() >= 1 ? 0 : 1;
            }
            if (status.equals("FAILED") || status.equals("REJECTED")) {
                System.out.println("demo: job ended " + status + ": " + r.body());
                return 1;
            }
            Thread.sleep(250);
        }
        System.out.println("demo: timed out waiting for the model");
        return 1;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String findTemplate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (p.resolve("template.yaml").toFile().isFile()) {
                return p.resolve("template.yaml").toString();
            }
        }
        throw new IllegalStateException("template.yaml not found; pass --template");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            if (name.equals("demo") || name.equals("help")) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
        return out;
    }
}
