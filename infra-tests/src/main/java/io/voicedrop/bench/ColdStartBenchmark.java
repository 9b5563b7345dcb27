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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Cold-start benchmark of the Lambda artifacts, runnable by anyone ({@code scripts/bench-cold-start.sh}).
 * Prints figures; asserts nothing.
 *
 * <p>For every function and run, a FRESH JVM is started with Lambda's JVM flags and only that function's artifact
 * classpath ({@link LambdaArtifact}: the {@code lib/} of the zip SAM builds) plus {@link HandlerHarness} and Lambda's
 * event serializer (the Lambda runtime's part of the JVM). The harness constructs the handler like Lambda does (init)
 * and sends it the function's sample event from {@code events/} (first invocation). Times: init = JVM launch →
 * handler constructed (measured from the parent's launch instant, so JVM boot counts, as in Lambda's Init Duration);
 * first invoke = event deserialization + handler call; cpu = CPU time of the whole child JVM until the response.
 * The launches of all rows are interleaved (one round = one launch of every row), so load from elsewhere on the
 * machine spreads over every row alike instead of skewing the ratios.
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
 * {@code --no-primed}, {@code --xmx 900m}, {@code --jvm-arg FLAG} (repeatable: e.g. an AppCDS archive),
 * {@code --attribute} (after the table, classes and time per jar from {@code -Xlog:class+load}, see
 * {@link ClassLoadAttribution}), {@code --variants} (rows with the logging stack swapped for slf4j-nop and
 * slf4j-simple: what the logging library costs; needs {@code infra-tests/target/bench-ablation}, which the
 * infra-tests build fills).
 */
public final class ColdStartBenchmark {

    static final String VERSION = "1.0.0-SNAPSHOT";
    /** Lambda's JVM flags for a 1024 MB function (JAVA_TOOL_OPTIONS of the template plus the runtime's own). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");
    private static final Map<String, String[]> FUNCTIONS = new LinkedHashMap<>();
    private static final String[] BASELINE = {BaselineHandler.class.getName(), "-", null, "not-found"};
    /** The logging stack of the artifacts (log4j, its JSON layout, Powertools logging and what only it pulls in). */
    private static final String LOGGING_JARS = "-log4j-,-powertools-logging,-powertools-serialization,-jmespath-,"
            + "-jackson-datatype-joda-";
    /** What the logging stack costs: the same artifact with a logger that does nothing, and with a plain-text one. */
    private static final Map<String, String> LOGGING_VARIANTS = new LinkedHashMap<>();
    private static final int ATTRIBUTION_RUNS = 3;

    static {
        LOGGING_VARIANTS.put("nop-logger", LOGGING_JARS + ",+slf4j-nop-");
        LOGGING_VARIANTS.put("simple-logger", LOGGING_JARS + ",+slf4j-simple-");
        FUNCTIONS.put("ingest", new String[] {"io.voicedrop.ingest.IngestHandler",
                "com.amazonaws.services.lambda.runtime.events.S3Event", "s3-put-incoming.json", "status=QUEUED"});
        FUNCTIONS.put("worker", new String[] {"io.voicedrop.worker.WorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", "sqs-job-message.json", "batchItemFailures=0"});
        FUNCTIONS.put("api", new String[] {"io.voicedrop.api.ApiHandler",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent", "api-list-models.json", "status=200"});
    }

    /** One row of the table: what is launched (handler, artifact, mode, extra JVM flags). */
    private record Spec(String name, String mode, LambdaArtifact artifact, String[] fn, List<String> jvmArgs,
                        boolean baseline) {
        boolean primed() {
            return "primed".equals(mode);
        }

        String key() {
            return name + "-" + mode;
        }
    }

    private record Options(int runs, boolean primed, String xmx, List<String> functions, List<String> jvmArgs,
                           boolean attribute, Map<String, String> variants) {
    }

    private final Path repo;
    private final Path work;
    private final Options options;
    private LocalPipeline pipeline;
    private String benchQueueUrl;
    private String apiKey;
    private String simulatorUrl;
    private Path harness;

    private ColdStartBenchmark(Path repo, Options options) {
        this.repo = repo;
        this.work = repo.resolve("infra-tests/target/bench");
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "5"));
        boolean primed = true;
        boolean attribute = false;
        Map<String, String> variants = new LinkedHashMap<>();
        String xmx = "900m";
        List<String> functions = new ArrayList<>(FUNCTIONS.keySet());
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-primed" -> primed = false;
                case "--xmx" -> xmx = args[++i];
                case "--functions" -> functions = Arrays.asList(args[++i].split(","));
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--attribute" -> attribute = true;
                case "--variant" -> {
                    String[] v = args[++i].split("=", 2);
                    variants.put(v[0], v[1]);
                }
                case "--logging-variants" -> variants.putAll(LOGGING_VARIANTS);
                default -> {
                    System.err.println("usage: ColdStartBenchmark [--runs N] [--functions ingest,worker,api] [--no-primed]"
                            + " [--xmx 900m] [--jvm-arg FLAG]... [--attribute] [--variant NAME=-jarPrefix,+jarPrefix...]..."
                            + " [--logging-variants]");
                    System.exit(2);
                }
            }
        }
        if (runs < 1 || !FUNCTIONS.keySet().containsAll(functions)) {
            throw new IllegalArgumentException("runs must be >= 1 and functions among " + FUNCTIONS.keySet());
        }
        new ColdStartBenchmark(findRepo(), new Options(runs, primed, xmx, functions, List.copyOf(jvmArgs), attribute,
                variants)).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        List<Spec> specs = specs();
        Files.createDirectories(work.resolve("events"));
        harness = prepareHarness();
        String loadBefore = loadAverage();
        try (FishSimulator simulator = FishSimulator.start()) {
            simulatorUrl = simulator.baseUrl();
            pipeline = LocalPipeline.start(new LocalOptions(System.getenv("VOICEDROP_AWS_ENDPOINT"), simulator.baseUrl(),
                    simulator.token(), 0, 1, repo.resolve("template.yaml"), Map.of(), Map.of()));
            try {
                isolateFromThePipeline();
                apiKey = pipeline.createApiKey("bench", "cold start benchmark");
                System.out.printf(Locale.ROOT, "VoiceDrop cold-start benchmark: %d run(s) per row, median; JVM %s %s; "
                        + "flags %s -Xmx%s%s; AWS emulator: %s; %d cores; load average before: %s%n", options.runs,
                        System.getProperty("java.vm.name"), System.getProperty("java.version"),
                        String.join(" ", LAMBDA_JVM_FLAGS), options.xmx,
                        options.jvmArgs.isEmpty() ? "" : " " + String.join(" ", options.jvmArgs), pipeline.emulatorName(),
                        Runtime.getRuntime().availableProcessors(), loadBefore);
                Map<String, List<long[]>> samples = new LinkedHashMap<>();
                Map<String, List<String>> problems = new LinkedHashMap<>();
                // Round 0 is discarded: the jars' pages are then in the OS cache for every counted run alike.
                for (int round = 0; round <= options.runs; round++) {
                    for (Spec spec : specs) {
                        long[] s = launch(spec, round, List.of(), problems.computeIfAbsent(spec.key(), k -> new ArrayList<>()));
                        if (round > 0 && s != null) {
                            samples.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add(s);
                        }
                    }
                }
                ColdStartTable.print(specs.stream().map(s -> new ColdStartTable.Row(s.name(), s.mode(), s.artifact(),
                        s.baseline(), samples.getOrDefault(s.key(), List.of()), problems.get(s.key()))).toList(),
                        options.runs, work);
                if (options.attribute) {
                    attribute(specs);
                }
            } finally {
                pipeline.close();
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s (benchmark took %d s)%n", loadAverage(),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** Rows: the baseline, then each function cold and primed, then the variants (when asked for). */
    private List<Spec> specs() throws IOException {
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec("baseline", "cold", LambdaArtifact.of(repo, "ingest", VERSION), BASELINE, options.jvmArgs, true));
        Map<String, LambdaArtifact> artifacts = new LinkedHashMap<>();
        for (String fn : options.functions) {
            artifacts.put(fn, LambdaArtifact.of(repo, fn, VERSION));
        }
        for (String fn : options.functions) {
            specs.add(new Spec(fn, "cold", artifacts.get(fn), FUNCTIONS.get(fn), options.jvmArgs, false));
            if (options.primed) {
                specs.add(new Spec(fn, "primed", artifacts.get(fn), FUNCTIONS.get(fn), options.jvmArgs, false));
            }
        }
        for (Map.Entry<String, String> variant : options.variants.entrySet()) {
            for (String fn : options.functions) {
                LambdaArtifact changed = artifacts.get(fn);
                List<String> flags = new ArrayList<>(options.jvmArgs);
                for (String change : variant.getValue().split(",")) {
                    String prefix = change.substring(1);
                    if (change.startsWith("-")) {
                        changed = changed.without(j -> j.startsWith(prefix));
                    } else if (change.startsWith("+")) {
                        changed = changed.with(List.of(ablationJar(prefix)));
                        if (prefix.startsWith("slf4j-simple")) {
                            // slf4j-simple writes to stderr by default; Lambda ships stdout, as log4j's console does
                            flags.add("-Dorg.slf4j.simpleLogger.logFile=System.out");
                        }
                    } else {
                        throw new IllegalArgumentException("variant " + variant.getKey() + ": '" + change
                                + "' is neither -jarPrefix nor +jarPrefix");
                    }
                }
                String name = fn + "/" + variant.getKey();
                specs.add(new Spec(name, "cold", changed, FUNCTIONS.get(fn), flags, false));
                if (options.primed) {
                    specs.add(new Spec(name, "primed", changed, FUNCTIONS.get(fn), flags, false));
                }
            }
        }
        return specs;
    }

    /** A jar the infra-tests build copied into target/bench-ablation for the variants (see its pom). */
    private Path ablationJar(String prefix) throws IOException {
        Path ablation = repo.resolve("infra-tests/target/bench-ablation");
        if (!Files.isDirectory(ablation)) {
            throw new IllegalStateException("no " + ablation + ": build infra-tests first (./mvnw -B -q package -DskipTests)");
        }
        try (Stream<Path> files = Files.list(ablation)) {
            List<Path> jar = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            if (jar.size() != 1) {
                throw new IllegalStateException("expected one jar " + prefix + "* in " + ablation + ", found " + jar);
            }
            return jar.get(0);
        }
    }

    /** The attribution runs: a few more launches per row with the class-loading log on, then one table per row. */
    private void attribute(List<Spec> specs) throws Exception {
        List<String> harnessJars = new ArrayList<>();
        try (Stream<Path> files = Files.list(harness.resolve("lib"))) {
            files.forEach(f -> harnessJars.add(f.getFileName().toString()));
        }
        for (Spec spec : specs) {
            List<ClassLoadAttribution.Run> runs = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (int i = 1; i <= ATTRIBUTION_RUNS; i++) {
                Path log = work.resolve(spec.key().replace('/', '_') + "-" + (100 + i) + ".classload.log");
                Files.deleteIfExists(log);
                if (launch(spec, 100 + i, List.of(ClassLoadAttribution.jvmFlag(log)), problems) != null) {
                    runs.add(ClassLoadAttribution.read(log, harnessJars, spec.primed()));
                }
            }
            if (runs.isEmpty()) {
                System.out.println("no attribution for " + spec.key() + ": " + problems);
                continue;
            }
            ClassLoadAttribution.print(spec.name() + " " + spec.mode(), ClassLoadAttribution.sum(runs), runs.size(),
                    spec.artifact().jars(), spec.primed());
        }
    }

    /** One fresh JVM; returns {init, prime, invoke, cpu} in ms, or null when the run failed. */
    private long[] launch(Spec spec, int run, List<String> extraFlags, List<String> problems) throws Exception {
        String id = spec.key().replace('/', '_') + "-" + run;
        Path event = spec.fn()[2] == null ? null : eventFor(spec.name().replaceFirst("/.*", ""), id, spec.fn()[2]);
        Path result = work.resolve(id + ".result");
        Path log = work.resolve(id + ".log");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-Xmx" + options.xmx);
        command.addAll(spec.jvmArgs());
        command.addAll(extraFlags);
        List<String> classpath = new ArrayList<>(List.of(harness.resolve("classes").toString(),
                harness.resolve("lib").resolve("*").toString()));
        spec.artifact().jars().forEach(j -> classpath.add(j.toString()));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(HandlerHarness.class.getName());
        command.add(spec.fn()[0]);
        command.add(spec.fn()[1]);
        command.add(event == null ? "-" : event.toString());
        command.add(result.toString());
        if (spec.primed()) {
            command.add("prime");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(spec.name(), spec.mode()));
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
        String[] r = Files.readString(result).trim().split(" ", 5);
        String outcome = r.length > 4 ? r[4] : "";
        if (!outcome.contains(spec.fn()[3])) {
            problems.add("run " + run + " answered " + outcome + " (expected " + spec.fn()[3] + "), see " + log);
        }
        return new long[] {Long.parseLong(r[0]) - launched, Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3])};
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Nothing in this process may react to the children: no S3 notification, a jobs queue nobody polls. */
    private void isolateFromThePipeline() {
        pipeline.s3().putBucketNotificationConfiguration(b -> b.bucket(pipeline.bucket())
                .notificationConfiguration(NotificationConfiguration.builder().build()));
        benchQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-jobs")).queueUrl();
    }

    /** What Lambda would give the function: the template's resources, Lambda's variables, nothing of this shell. */
    private Map<String, String> environment(String row, String mode) {
        String name = row.replace('/', '-');
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
    private Path eventFor(String name, String id, String sample) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(repo.resolve("events").resolve(sample).toFile());
        switch (name) {
            case "ingest" -> {
                // A new object every run, so every run is a first ingest (not the duplicate path).
                String key = "incoming/Bench " + id + " " + UUID.randomUUID() + ".wav";
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
        Path file = work.resolve("events").resolve(id + ".json");
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
