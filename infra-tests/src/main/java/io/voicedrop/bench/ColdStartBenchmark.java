package io.voicedrop.bench;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalOptions;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Cold-start benchmark of the three Lambda artifacts, runnable by anyone ({@code scripts/bench-cold-start.sh}).
 * Prints figures; asserts nothing.
 *
 * <p>For every function and run, a FRESH JVM is started with Lambda's JVM flags and only that function's artifact
 * classpath ({@code functions/<fn>/target/lambda/lib/*} plus the function jar, i.e. the {@code lib/} of the zip SAM
 * builds) plus {@link HandlerHarness} and Lambda's event serializer (the Lambda runtime's part of the JVM). The
 * harness constructs the handler like Lambda does (init) and sends it the function's sample event from
 * {@code events/} (first invocation). Times: init = JVM launch → handler constructed (measured from the parent's
 * launch instant, so JVM boot counts, as in Lambda's Init Duration); first invoke = event deserialization + handler
 * call.
 *
 * <p>Modes: {@code cold} is an on-demand cold start. {@code primed} sets {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}
 * and runs the SnapStart priming hook between init and the first invocation, which approximates the first request
 * of an instance restored from a primed snapshot (restore itself is not simulated; priming time is paid once per
 * published version, not by requests, and is printed separately).
 *
 * <p>The AWS side is a {@link LocalPipeline} in this process (moto, or LocalStack when Docker answers, with the
 * template's resources); its bucket notification is detached and the functions get their own jobs queue, so nothing
 * in this process reacts to what a child does. The baseline is {@link BaselineHandler}: one DynamoDB client, one
 * GetItem, on the ingest artifact's classpath.
 *
 * <p>Options: {@code --runs N} (default 5, or env {@code BENCH_RUNS}), {@code --functions ingest,worker,api},
 * {@code --no-primed}, {@code --xmx 900m}.
 */
public final class ColdStartBenchmark {

    static final String VERSION = "1.0.0-SNAPSHOT";
    /** Lambda's JVM flags for a 1024 MB function (JAVA_TOOL_OPTIONS of the template plus the runtime's own). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");
    private static final Map<String, String[]> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("ingest", new String[] {"io.voicedrop.ingest.IngestHandler",
                "com.amazonaws.services.lambda.runtime.events.S3Event", "s3-put-incoming.json", "status=QUEUED"});
        FUNCTIONS.put("worker", new String[] {"io.voicedrop.worker.WorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", "sqs-job-message.json", "batchItemFailures=0"});
        FUNCTIONS.put("api", new String[] {"io.voicedrop.api.ApiHandler",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent", "api-list-models.json", "status=200"});
    }

    private final Path repo;
    private final Path work;
    private final int runs;
    private final boolean primed;
    private final String xmx;
    private final List<String> functions;
    private LocalPipeline pipeline;
    private String benchQueueUrl;
    private String apiKey;
    private String simulatorUrl;

    private ColdStartBenchmark(Path repo, int runs, boolean primed, String xmx, List<String> functions) {
        this.repo = repo;
        this.work = repo.resolve("infra-tests/target/bench");
        this.runs = runs;
        this.primed = primed;
        this.xmx = xmx;
        this.functions = functions;
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "5"));
        boolean primed = true;
        String xmx = "900m";
        List<String> functions = new ArrayList<>(FUNCTIONS.keySet());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-primed" -> primed = false;
                case "--xmx" -> xmx = args[++i];
                case "--functions" -> functions = Arrays.asList(args[++i].split(","));
                default -> {
                    System.err.println("usage: ColdStartBenchmark [--runs N] [--functions ingest,worker,api] [--no-primed] [--xmx 900m]");
                    System.exit(2);
                }
            }
        }
        if (runs < 1 || !FUNCTIONS.keySet().containsAll(functions)) {
            throw new IllegalArgumentException("runs must be >= 1 and functions among " + FUNCTIONS.keySet());
        }
        new ColdStartBenchmark(findRepo(), runs, primed, xmx, functions).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        for (String fn : functions) {
            if (!Files.isDirectory(lib(fn)) || !Files.isRegularFile(functionJar(fn))) {
                throw new IllegalStateException("no Lambda artifact for " + fn + " (" + lib(fn) + "): run "
                        + "./mvnw -B -q package -DskipTests first");
            }
        }
        Files.createDirectories(work.resolve("events"));
        Path harness = prepareHarness();
        try (FishSimulator simulator = FishSimulator.start()) {
            simulatorUrl = simulator.baseUrl();
            pipeline = LocalPipeline.start(new LocalOptions(System.getenv("VOICEDROP_AWS_ENDPOINT"), simulator.baseUrl(),
                    simulator.token(), 0, 1, repo.resolve("template.yaml"), Map.of(), Map.of()));
            try {
                isolateFromThePipeline();
                apiKey = pipeline.createApiKey("bench", "cold start benchmark");
                System.out.printf(Locale.ROOT, "VoiceDrop cold-start benchmark: %d run(s) per row, median; JVM %s %s; "
                        + "flags %s -Xmx%s; AWS emulator: %s%n", runs, System.getProperty("java.vm.name"),
                        System.getProperty("java.version"), String.join(" ", LAMBDA_JVM_FLAGS), xmx, pipeline.emulatorName());
                List<Row> rows = new ArrayList<>();
                Row baseline = measure("baseline", "cold", harness, lib("ingest"), functionJar("ingest"),
                        new String[] {BaselineHandler.class.getName(), "-", null, "not-found"});
                rows.add(baseline);
                for (String fn : functions) {
                    rows.add(measure(fn, "cold", harness, lib(fn), functionJar(fn), FUNCTIONS.get(fn)));
                    if (primed) {
                        rows.add(measure(fn, "primed", harness, lib(fn), functionJar(fn), FUNCTIONS.get(fn)));
                    }
                }
                print(rows, baseline);
            } finally {
                pipeline.close();
            }
        }
        System.out.printf(Locale.ROOT, "(benchmark took %d s)%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** Nothing in this process may react to the children: no S3 notification, a jobs queue nobody polls. */
    private void isolateFromThePipeline() {
        pipeline.s3().putBucketNotificationConfiguration(b -> b.bucket(pipeline.bucket())
                .notificationConfiguration(NotificationConfiguration.builder().build()));
        benchQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-jobs")).queueUrl();
    }

    private Row measure(String name, String mode, Path harness, Path lib, Path jar, String[] fn) throws Exception {
        List<long[]> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // One discarded launch first: the jars' pages are then in the OS cache for every counted run alike.
        for (int i = 0; i <= runs; i++) {
            long[] s = launch(name, mode, i, harness, lib, jar, fn, problems);
            if (i > 0 && s != null) {
                samples.add(s);
            }
        }
        return new Row(name, mode, samples, problems, name.equals("baseline") ? -1 : zipSize(lib, jar),
                name.equals("baseline") ? -1 : jarsSize(lib, jar), name.equals("baseline") ? -1 : jarCount(lib) + 1);
    }

    /** One fresh JVM; returns {init, prime, invoke} in ms, or null when the run failed. */
    private long[] launch(String name, String mode, int run, Path harness, Path lib, Path jar, String[] fn,
                          List<String> problems) throws Exception {
        Path event = fn[2] == null ? null : eventFor(name, mode, run, fn[2]);
        Path result = work.resolve(name + "-" + mode + "-" + run + ".result");
        Path log = work.resolve(name + "-" + mode + "-" + run + ".log");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-Xmx" + xmx);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, harness.resolve("classes").toString(),
                harness.resolve("lib").resolve("*").toString(), lib.resolve("*").toString(), jar.toString()));
        command.add(HandlerHarness.class.getName());
        command.add(fn[0]);
        command.add(fn[1]);
        command.add(event == null ? "-" : event.toString());
        command.add(result.toString());
        if ("primed".equals(mode)) {
            command.add("prime");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(name, mode));
        long launched = System.currentTimeMillis();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            problems.add("run " + run + " timed out, see " + log);
            return null;
        }
        if (!Files.isRegularFile(result)) {
            problems.add("run " + run + " exited " + p.exitValue() + " without a result, see " + log);
            return null;
        }
        String[] r = Files.readString(result).trim().split(" ", 4);
        String outcome = r.length > 3 ? r[3] : "";
        if (!outcome.contains(fn[3])) {
            problems.add("run " + run + " answered " + outcome + " (expected " + fn[3] + "), see " + log);
        }
        return new long[] {Long.parseLong(r[0]) - launched, Long.parseLong(r[1]), Long.parseLong(r[2])};
    }

    /** What Lambda would give the function: the template's resources, Lambda's variables, nothing of this shell. */
    private Map<String, String> environment(String name, String mode) {
        VoiceDropConfig c = pipeline.config();
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", c.bucket());
        env.put("JOBS_TABLE", c.jobsTable());
        env.put("MODELS_TABLE", c.modelsTable());
        env.put("API_KEYS_TABLE", c.apiKeysTable());
        env.put("JOBS_QUEUE_URL", benchQueueUrl);
        env.put("DEAD_LETTER_QUEUE_URL", c.deadLetterQueueUrl());
        env.put("FISH_BASE_URL", simulatorUrl);
        env.put("FISH_TOKEN_SECRET_ARN", c.fishTokenSecretArn());
        env.put("AWS_ENDPOINT_URL", pipeline.s3Endpoint().toString());
        env.put("AWS_REGION", c.region());
        env.put("AWS_DEFAULT_REGION", c.region());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "voicedrop-bench-" + name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/voicedrop-bench-" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "primed".equals(mode) ? "snap-start" : "on-demand");
        env.put("LOG_LEVEL", "INFO");
        env.put("POWERTOOLS_SERVICE_NAME", "voicedrop");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "VoiceDrop");
        env.put("TZ", "UTC");
        return env;
    }

    /** The function's sample event from events/, pointed at this run's objects (the files stay untouched). */
    private Path eventFor(String name, String mode, int run, String sample) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(repo.resolve("events").resolve(sample).toFile());
        switch (name) {
            case "ingest" -> {
                // A new object every run, so every run is a first ingest (not the duplicate path).
                String key = "incoming/Bench " + mode + " " + run + " " + UUID.randomUUID() + ".wav";
                byte[] audio = DemoAudio.wav(Duration.ofSeconds(31), 16_000, 1, 31);
                PutObjectResponse put = pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key),
                        RequestBody.fromBytes(audio));
                ObjectNode s3 = (ObjectNode) event.path("Records").get(0).path("s3");
                ((ObjectNode) s3.path("bucket")).put("name", pipeline.bucket()).put("arn", "arn:aws:s3:::" + pipeline.bucket());
                ObjectNode o = (ObjectNode) s3.path("object");
                o.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
                o.put("size", audio.length).put("eTag", put.eTag().replace("\"", ""));
                if (put.versionId() != null) {
                    o.put("versionId", put.versionId());
                } else {
                    o.remove("versionId");
                }
            }
            case "worker" -> {
                // An unknown job: the worker reads the jobs table and dead-letters the message; no upstream call.
                ObjectNode record = (ObjectNode) event.path("Records").get(0);
                String body = JobMessage.bodyFor(UUID.randomUUID().toString());
                record.put("body", body).put("md5OfBody", md5(body));
            }
            case "api" -> ((ObjectNode) event.path("headers")).put("authorization", "Bearer " + apiKey);
            default -> throw new IllegalArgumentException(name);
        }
        Path file = work.resolve("events").resolve(name + "-" + mode + "-" + run + ".json");
        Files.writeString(file, event.toString());
        return file;
    }

    /**
     * The harness directory: only the harness classes (copied out of infra-tests' classes) and Lambda's event
     * serializer jar, so the child sees nothing of infra-tests.
     */
    private Path prepareHarness() throws IOException, URISyntaxException {
        Path harness = repo.resolve("infra-tests/target/bench-harness");
        Path classes = harness.resolve("classes/io/voicedrop/bench");
        Path lib = harness.resolve("lib");
        Files.createDirectories(classes);
        Files.createDirectories(lib);
        Path compiled = Path.of(HandlerHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/voicedrop/bench");
        try (Stream<Path> files = Files.list(compiled)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("HandlerHarness") || n.startsWith("BaselineHandler")) {
                    Files.copy(f, classes.resolve(n), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path serializer = Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(serializer, lib.resolve(serializer.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return harness;
    }

    private Path lib(String fn) {
        return repo.resolve("functions").resolve(fn).resolve("target/lambda/lib");
    }

    private Path functionJar(String fn) {
        return repo.resolve("functions").resolve(fn).resolve("target/voicedrop-" + fn + "-" + VERSION + ".jar");
    }

    private static long jarsSize(Path lib, Path jar) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            long sum = 0;
            for (Path f : files.toList()) {
                sum += Files.size(f);
            }
            return sum + Files.size(jar);
        }
    }

    private static long jarCount(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.count();
        }
    }

    /** The size of the deployment zip SAM builds from the Makefile's artifact: lib/*.jar, deflated. */
    private static long zipSize(Path lib, Path jar) throws IOException {
        CountingStream counter = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(counter); Stream<Path> files = Files.list(lib)) {
            List<Path> entries = new ArrayList<>(files.sorted().toList());
            entries.add(jar);
            for (Path f : entries) {
                zip.putNextEntry(new ZipEntry("lib/" + f.getFileName()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return counter.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private void print(List<Row> rows, Row baseline) {
        long base = baseline.median(0) + baseline.median(2);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-9s %-7s %8s %12s %9s %11s %9s %12s %14s%n", "function", "mode", "init ms",
                "1st invoke", "total ms", "x baseline", "prime ms", "zip MB", "jars (count)");
        for (Row r : rows) {
            if (r.samples.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-9s %-7s  no successful run: %s%n", r.name, r.mode, r.problems);
                continue;
            }
            long init = r.median(0);
            long invoke = r.median(2);
            long total = init + invoke;
            String prime = "primed".equals(r.mode) ? Long.toString(r.median(1)) : "-";
            String zip = r.zipBytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.zipBytes / 1_048_576.0);
            String jars = r.jarBytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB (%d)", r.jarBytes / 1_048_576.0, r.jarCount);
            System.out.printf(Locale.ROOT, "%-9s %-7s %8d %12d %9d %11.1f %9s %12s %14s%n", r.name, r.mode, init, invoke,
                    total, (double) total / base, prime, zip, jars);
        }
        System.out.println();
        System.out.println("init = JVM launch -> handler constructed; 1st invoke = event deserialization + handleRequest;"
                + " medians of " + runs + " fresh JVMs each (plus one discarded warm-up launch).");
        System.out.println("primed = SnapStart priming hook run after init (prime ms, paid once per published version),"
                + " then the first invocation: an estimate of a restored instance's first request, restore not included.");
        rows.stream().filter(r -> !r.problems.isEmpty()).forEach(r ->
                System.out.println("WARNING " + r.name + "/" + r.mode + ": " + String.join("; ", r.problems)));
        System.out.println("Per-run logs and results: " + work);
    }

    private record Row(String name, String mode, List<long[]> samples, List<String> problems, long zipBytes,
                       long jarBytes, long jarCount) {
        long median(int field) {
            long[] values = samples.stream().mapToLong(s -> s[field]).sorted().toArray();
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path findRepo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from inside the repository (no template.yaml above " + Path.of("").toAbsolutePath() + ")");
    }
}
