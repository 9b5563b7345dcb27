package io.voicedrop.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.sim.FishSimulator;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * {@code scripts/run-local.sh}: VoiceDrop on this machine with no AWS account. Starts an emulator (or uses
 * {@code --aws-endpoint}), the Fish simulator (unless {@code --fish-url} and {@code --fish-token} are given), the
 * three functions and a local HTTP API, then shows people what started and, one line per transition, what happens
 * to every job ({@link TerminalView}). The functions' JSON logs and EMF metric lines go to
 * {@code target/local/voicedrop.log}, or to the terminal with {@code --verbose}. {@code --demo} uploads generated
 * audio, follows the job until the model exists, shows the list API's answer and exits.
 */
public final class LocalRun {

    static final String LOG_FILE = "target/local/voicedrop.log";
    static final String DEMO_PREVIEW_TEXT = "Hello! This is the demo voice, made by VoiceDrop.";
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(3);

    private LocalRun() {
    }

    public static void main(String[] args) {
        LocalRunOptions options;
        try {
            options = LocalRunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run-local: " + e.getMessage() + " (scripts/run-local.sh --help lists the options)");
            System.exit(2);
            return;
        }
        PrintStream terminal = System.out;
        PrintStream terminalErrors = System.err;
        Path logFile = null;
        try {
            Path template = options.template() != null ? Path.of(options.template()) : findTemplate();
            if (!options.verbose()) {
                logFile = template.toAbsolutePath().getParent().resolve(LOG_FILE);
                routeLogsTo(logFile);
            }
            TerminalView view = new TerminalView(terminal, Clock.systemUTC());
            System.exit(run(options, template, logFile, view));
        } catch (Exception e) {
            e.printStackTrace(); // into the log file unless --verbose
            terminalErrors.println("run-local: " + e.getMessage()
                    + (logFile == null ? "" : " (details in " + shown(logFile) + ")"));
            System.exit(1);
        }
    }

    private static int run(LocalRunOptions options, Path template, Path logFile, TerminalView view) throws Exception {
        view.say("Starting VoiceDrop locally: an AWS emulator, the template's resources, the three functions and "
                + "the API…");
        FishSimulator simulator = null;
        String fishUrl = options.fishUrl();
        String fishToken = options.fishToken();
        if (fishUrl == null) {
            simulator = FishSimulator.start();
            fishUrl = simulator.baseUrl();
            fishToken = simulator.token();
        }
        // The demo speaks a preview with its new voice; only with the simulator, since real TTS is billed.
        Map<String, String> parameters = options.demo() && simulator != null
                ? Map.of("PreviewText", DEMO_PREVIEW_TEXT) : Map.of();
        LocalPipeline pipeline = LocalPipeline.start(new LocalOptions(options.awsEndpoint(), fishUrl, fishToken,
                options.port(), 2, template, parameters,
                // Locally, voice URLs, webhook receivers and the simulator's TTS audio are on this machine (plain http).
                Map.of("ALLOW_LOCAL_URLS", "true")));
        pipeline.onJobChange(view);
        String token = pipeline.createApiKey("local", "local runner");
        FishSimulator sim = simulator;
        Runnable stop = () -> {
            pipeline.close();
            if (sim != null) {
                sim.close();
            }
        };
        for (String line : startupLines(pipeline, token, simulator, fishUrl, logFile)) {
            view.say(line);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "terminal-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(view::tick, 2, 2, TimeUnit.SECONDS);
        if (options.demo()) {
            try (JobEventTap events = pipeline.subscribeToJobEvents()) {
                return runDemo(pipeline, token, view, events);
            } finally {
                ticker.shutdownNow();
                stop.run();
            }
        }
        view.say("Drop audio under s3://" + pipeline.bucket() + "/incoming/ (a file, or a folder and then its "
                + "model.json), for example:");
        view.say("  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url " + pipeline.s3Endpoint()
                + " s3 cp narrator.wav s3://" + pipeline.bucket() + "/incoming/");
        view.say("  curl -H \"Authorization: Bearer " + token + "\" " + pipeline.apiBaseUrl() + "/jobs");
        view.say("Ctrl-C stops.");
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "local-run-stop"));
        new CountDownLatch(1).await();
        return 0;
    }

    /** What started, one "label: value" line each. */
    static List<String> startupLines(LocalPipeline pipeline, String token, FishSimulator simulator, String fishUrl,
                                     Path logFile) {
        List<String> lines = new ArrayList<>();
        lines.add("AWS emulator: " + pipeline.emulatorDescription());
        lines.add("Upstream: " + (simulator != null
                ? "Fish API simulator on " + fishUrl + " (nothing is billed)"
                : fishUrl + " (the real upstream: every model created costs money)"));
        lines.add("S3 endpoint: " + pipeline.s3Endpoint());
        lines.add("Bucket: " + pipeline.bucket());
        lines.add("API base URL: " + pipeline.apiBaseUrl() + " (outbound URLs — voices, webhooks, preview audio — may "
                + "be http and local here: ALLOW_LOCAL_URLS=true)");
        lines.add("API key: " + token);
        lines.add("Console: " + pipeline.consoleUrl() + " (sign in with the API key)");
        lines.add("Logs: " + (logFile == null ? "here (--verbose): JSON log lines and EMF metric lines"
                : shown(logFile) + " (JSON log lines and EMF metric lines; --verbose shows them here)"));
        return lines;
    }

    private static int runDemo(LocalPipeline pipeline, String token, TerminalView view, JobEventTap events)
            throws Exception {
        String key = "incoming/demo-voice.wav";
        byte[] audio = DemoAudio.wav(Duration.ofSeconds(31), 22_050, 1, 42);
        view.say("Demo: uploading " + key + " (31 s of generated speech-like audio)");
        PutObjectResponse put = pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key)
                .contentType("audio/wav"), RequestBody.fromBytes(audio));
        String jobId = UploadIngestor.jobIdFor(new UploadedObject(pipeline.bucket(), key, put.versionId(), put.eTag(),
                audio.length));
        Optional<Job> ended = view.awaitEnd(jobId, DEMO_TIMEOUT);
        if (ended.isEmpty()) {
            view.say("Demo: the job did not end within " + DEMO_TIMEOUT.toMinutes() + " minutes");
            return 1;
        }
        if (!ended.get().status().name().equals("SUCCEEDED")) {
            view.say("Demo: the job ended " + ended.get().status() + "; GET " + pipeline.apiBaseUrl() + "/jobs/"
                    + jobId + " tells why");
            return 1;
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> list = get(http, pipeline.apiBaseUrl() + "/fish/model?page_size=10", token);
        JsonNode body = Json.MAPPER.readTree(list.body());
        JsonNode first = body.path("items").path(0);
        view.say("Demo: GET /fish/model answers " + list.statusCode() + " with " + body.path("total").asLong()
                + " model(s); the first is \"" + first.path("title").asText() + "\" (" + first.path("state").asText()
                + ", _id " + first.path("_id").asText() + ")");
        printEvents(view, events, jobId);
        printPreview(view, pipeline, Json.MAPPER.readTree(get(http, pipeline.apiBaseUrl() + "/jobs/" + jobId, token).body()));
        view.say("Demo done. Without --demo the pipeline keeps running for your own uploads.");
        return body.path("total").asLong() >= 1 ? 0 : 1;
    }

    /** The job's state-change events, as a subscriber (an EventBridge rule with an SQS target) received them. */
    static void printEvents(TerminalView view, JobEventTap events, String jobId) {
        List<JsonNode> got;
        try {
            got = events.await(jobId, e -> e.stream().anyMatch(x -> x.path("detail").path("terminal").asBoolean()),
                    Duration.ofSeconds(10));
        } catch (IllegalStateException late) {
            got = events.eventsOf(jobId);
        }
        view.say("Demo: events published on bus " + events.bus() + " (source voicedrop, detail-type"
                + " \"VoiceDrop Job State Change\"):");
        for (JsonNode e : got) {
            JsonNode d = e.path("detail");
            String from = d.path("previous_status").isNull() ? "(new)" : "from " + d.path("previous_status").asText();
            String model = d.path("model_id").isNull() ? "" : "  model " + d.path("model_id").asText();
            view.say(String.format("  %-10s %-15s%s", d.path("status").asText(), from, model));
        }
    }

    /** Where the spoken preview of the demo voice is, when one was made. */
    static void printPreview(TerminalView view, LocalPipeline pipeline, JsonNode job) {
        JsonNode p = job.path("preview");
        if (p.isMissingNode() || p.isNull()) {
            return;
        }
        if (!"stored".equals(p.path("state").asText())) {
            view.say("Demo: no spoken preview (" + p.path("state").asText() + "): " + job.path("warnings"));
            return;
        }
        view.say("Demo: spoken preview: s3://" + pipeline.bucket() + "/" + p.path("key").asText() + " ("
                + p.path("bytes").asLong() + " bytes); a link: GET " + p.path("path").asText());
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends everything written to stdout and stderr (the functions' JSON log lines, EMF metric lines, stack traces)
     * to {@code file}, so the terminal shows only the human view (the JSON logger writes to whatever
     * {@code System.out} is when it writes a line).
     */
    static void routeLogsTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(file.toFile(), false), true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(log);
    }

    /** The path as people type it: relative to the working directory when it is below it. */
    static String shown(Path file) {
        Path here = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }

    private static Path findTemplate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (p.resolve("template.yaml").toFile().isFile()) {
                return p.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found; pass --template");
    }
}
