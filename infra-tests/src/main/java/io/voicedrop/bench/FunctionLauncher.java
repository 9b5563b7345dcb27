package io.voicedrop.bench;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.WebhookReceiver;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Starts a function the way Lambda does, on nothing but its deployment package: a FRESH JVM with Lambda's flags whose
 * classpath is the function's artifact ({@link LambdaArtifact}, the {@code lib/} of the zip SAM builds) plus
 * {@link HandlerHarness} and Lambda's event serializer (the Lambda runtime's part of the JVM). The harness constructs
 * the handler (init), optionally runs the SnapStart priming hook, and sends one event (the first request). Used by
 * the cold-start benchmark (timings) and by {@code ArtifactScopeTest} (what each artifact must and need not carry).
 *
 * <p>The AWS side is an existing {@link LocalPipeline}. Nothing of it reacts to what a child does: the children get
 * their own bucket (no notification), jobs table (no stream), jobs and dead-letter queues, webhooks queues and
 * event bus. They share
 * the pipeline's models and API keys tables and its secrets.
 */
final class FunctionLauncher implements AutoCloseable {

    static final String VERSION = "1.0.0-SNAPSHOT";
    /** Lambda's JVM flags for a 1024 MB function (JAVA_TOOL_OPTIONS of the template plus the runtime's own). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");

    /**
     * A function (or a baseline) and its first request: the handler class, the module whose artifact it runs on,
     * the event class Lambda deserializes, the sample under {@code events/}, and what its response must contain.
     */
    record Target(String name, String module, String handler, String eventClass, String sample, String expected) {
        boolean baseline() {
            return handler.equals(BaselineHandler.class.getName());
        }
    }

    /** Every function of the template, by the name the benchmark and the tests use. */
    static final Map<String, Target> FUNCTIONS = new LinkedHashMap<>();

    static {
        add(new Target("ingest", "ingest", "io.voicedrop.ingest.IngestHandler",
                "com.amazonaws.services.lambda.runtime.events.S3Event", "s3-put-incoming.json", "status=QUEUED"));
        add(new Target("worker", "worker", "io.voicedrop.worker.WorkerHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", "sqs-job-message.json", "batchItemFailures=0"));
        add(new Target("api", "api", "io.voicedrop.api.ApiHandler",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent", "api-list-models.json",
                "status=200"));
        add(new Target("notify", "notify", "io.voicedrop.notify.NotifyHandler",
                "com.amazonaws.services.lambda.runtime.events.DynamodbEvent", "dynamodb-stream-job-succeeded.json",
                "batchItemFailures=0"));
        add(new Target("webhook", "notify", "io.voicedrop.notify.WebhookHandler",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent", "sqs-webhook-delivery.json",
                "batchItemFailures=0"));
    }

    private static void add(Target t) {
        FUNCTIONS.put(t.name(), t);
    }

    /**
     * The bare handler for a function's event type ({@link BaselineHandler}): the same event, deserialized by the
     * same Lambda serializer, then one DynamoDB GetItem; no framework.
     */
    static Target baselineFor(Target fn) {
        String type = fn.eventClass().substring(fn.eventClass().lastIndexOf('.') + 1);
        return new Target("baseline " + type, "ingest", BaselineHandler.class.getName(), fn.eventClass(), fn.sample(),
                "not-found");
    }

    /**
     * What a bare DynamoDB handler ships: Lambda's own libraries and the DynamoDB SDK with what it depends on (taken
     * from the ingest artifact, which has them all at the versions VoiceDrop uses); no other service, no framework.
     */
    static LambdaArtifact baselineArtifact(Path repo) throws IOException {
        Set<String> otherServices = Set.of("s3-", "sqs-", "eventbridge-", "secretsmanager-", "arns-", "crt-core-",
                "aws-xml-protocol-", "aws-query-protocol-");
        return LambdaArtifact.of(repo, "ingest", VERSION).without(name -> {
            if (otherServices.stream().anyMatch(name::startsWith)) {
                return true;
            }
            if (name.startsWith("reactive-streams-") || name.startsWith("third-party-jackson-core-")
                    || name.startsWith("slf4j-api-") || name.startsWith("joda-time-")) {
                return false;
            }
            String group = ClassLoadAttribution.groupOf(repo.resolve("functions/ingest/target/lambda/lib").resolve(name));
            return !group.equals("software.amazon.awssdk") && !group.equals("com.amazonaws");
        });
    }

    /** One launch: what runs, on which jars, cold or primed, with which extra JVM flags. */
    record Launch(Target target, LambdaArtifact artifact, boolean primed, List<String> jvmArgs) {
    }

    /**
     * What one fresh JVM reported, in ms: init (JVM launch → handler constructed, measured from the parent's launch
     * instant, so JVM boot counts as in Lambda's Init Duration), prime (-1 when not primed), first invoke (event
     * deserialization + handleRequest), cpu (the whole JVM until the response) and the part of it during the first
     * invoke, warm (a second request of the same kind in the same JVM); the handler's first outcome; its log.
     */
    record Result(long initMs, long primeMs, long invokeMs, long cpuMs, long invokeCpuMs, long warmMs, String outcome,
                  Path log) {
    }

    private final Path repo;
    private final Path work;
    private final LocalPipeline pipeline;
    private final String simulatorUrl;
    private final String xmx;
    private final Path harness;
    /** The harness classes, as a jar in the harness's lib/ (counted as the Lambda runtime's by the attribution). */
    private static final String HARNESS_JAR = "voicedrop-bench-harness.jar";
    private final String apiKey;
    private final String bucket;
    private final String jobsTable;
    private final JobStore jobs;
    private final String jobsQueueUrl;
    private final String deadLetterQueueUrl;
    private final String webhooksQueueUrl;
    private final String webhooksDeadLetterQueueUrl;
    private final String eventBus;
    private final WebhookReceiver receiver;

    FunctionLauncher(Path repo, Path work, LocalPipeline pipeline, String simulatorUrl, String xmx) throws IOException {
        this.repo = repo;
        this.work = work;
        this.pipeline = pipeline;
        this.simulatorUrl = simulatorUrl;
        this.xmx = xmx;
        Files.createDirectories(work.resolve("events"));
        try {
            this.harness = prepareHarness();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.apiKey = pipeline.createApiKey("bench-" + id, "first-request launcher");
        this.bucket = "voicedrop-bench-" + id;
        pipeline.s3().createBucket(b -> b.bucket(bucket));
        pipeline.s3().putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        this.jobsTable = "voicedrop-bench-jobs-" + id;
        DynamoDbClient dynamo = pipeline.wiring().dynamoDb();
        copyWithoutStream(dynamo, pipeline.config().jobsTable(), jobsTable);
        this.jobs = new DynamoJobStore(dynamo, jobsTable);
        this.jobsQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-jobs-" + id)).queueUrl();
        this.deadLetterQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-dlq-" + id)).queueUrl();
        this.webhooksQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-webhooks-" + id)).queueUrl();
        this.webhooksDeadLetterQueueUrl = pipeline.sqs().createQueue(b -> b.queueName("voicedrop-bench-webhooks-dlq-" + id))
                .queueUrl();
        this.eventBus = "voicedrop-bench-" + id;
        try (EventBridgeClient events = pipeline.wiring().awsClients().eventBridge()) {
            events.createEventBus(b -> b.name(eventBus));
        }
        this.receiver = WebhookReceiver.start();
    }

    /** A table with the key schema and indexes of {@code source}, and no stream (nothing reads its writes). */
    private static void copyWithoutStream(DynamoDbClient dynamo, String source, String target) {
        TableDescription d = dynamo.describeTable(b -> b.tableName(source)).table();
        List<GlobalSecondaryIndex> indexes = d.globalSecondaryIndexes().stream().map(g -> GlobalSecondaryIndex.builder()
                .indexName(g.indexName()).keySchema(g.keySchema()).projection(g.projection()).build()).toList();
        dynamo.createTable(b -> {
            b.tableName(target).billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(d.attributeDefinitions())
                    .keySchema(d.keySchema());
            if (!indexes.isEmpty()) {
                b.globalSecondaryIndexes(indexes);
            }
        });
    }

    /** The children's jobs table (a copy of the stack's, without its stream). */
    JobStore jobs() {
        return jobs;
    }

    /** The jar file names of the runtime's side of the child's classpath (Lambda's event serializer). */
    List<String> harnessJars() throws IOException {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(harness.resolve("lib"))) {
            files.forEach(f -> jars.add(f.getFileName().toString()));
        }
        return jars;
    }

    WebhookReceiver webhookReceiver() {
        return receiver;
    }

    /** The children's queues, by what they hold: jobs, dead-lettered jobs, webhooks, dead-lettered webhooks. */
    Map<String, String> queues() {
        return Map.of("jobs", jobsQueueUrl, "dead-letter", deadLetterQueueUrl, "webhooks", webhooksQueueUrl,
                "webhooks-dead-letter", webhooksDeadLetterQueueUrl);
    }

    /**
     * One fresh JVM. {@code id} names its files under the work directory. Returns null (and adds to {@code problems})
     * when the JVM timed out or wrote no result; an unexpected outcome is added to {@code problems} too.
     */
    Result launch(Launch launch, String id, List<String> extraFlags, List<String> problems) throws Exception {
        Target t = launch.target();
        Path event = t.baseline() ? repo.resolve("events").resolve(t.sample()) : eventFor(t.name(), id, t.sample());
        Path second = t.baseline() ? event : eventFor(t.name(), id + "-warm", t.sample());
        Path result = work.resolve(id + ".result");
        Path log = work.resolve(id + ".log");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-Xmx" + xmx);
        command.addAll(launch.jvmArgs());
        command.addAll(extraFlags);
        List<String> classpath = new ArrayList<>(List.of(harness.resolve("lib").resolve("*").toString()));
        launch.artifact().jars().forEach(j -> classpath.add(j.toString()));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(HandlerHarness.class.getName());
        command.add(t.handler());
        command.add(t.eventClass());
        command.add(event.toString());
        command.add(second.toString());
        command.add(result.toString());
        if (launch.primed()) {
            command.add("prime");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(t.name(), launch.primed()));
        // Lambda's name for the configured handler: priming rehearses this handler's first request only
        pb.environment().put("_HANDLER", t.handler());
        long launched = System.currentTimeMillis();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            problems.add(id + " timed out, see " + log);
            return null;
        }
        if (!Files.isRegularFile(result)) {
            problems.add(id + " exited " + p.exitValue() + " without a result, see " + log);
            return null;
        }
        String[] r = Files.readString(result).trim().split(" ", 7);
        String outcome = r.length > 6 ? r[6] : "";
        if (!outcome.contains(t.expected())) {
            problems.add(id + " answered " + outcome + " (expected " + t.expected() + "), see " + log);
        }
        return new Result(Long.parseLong(r[0]) - launched, Long.parseLong(r[1]), Long.parseLong(r[2]),
                Long.parseLong(r[3]), Long.parseLong(r[4]), Long.parseLong(r[5]), outcome, log);
    }

    /** What Lambda would give the function: the stack's resources, Lambda's variables, nothing of this shell. */
    private Map<String, String> environment(String row, boolean primed) {
        String name = row.replace('/', '-').replace(' ', '-');
        VoiceDropConfig c = pipeline.config();
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("JOBS_TABLE", jobsTable);
        env.put("MODELS_TABLE", c.modelsTable());
        env.put("API_KEYS_TABLE", c.apiKeysTable());
        env.put("JOBS_QUEUE_URL", jobsQueueUrl);
        env.put("DEAD_LETTER_QUEUE_URL", deadLetterQueueUrl);
        env.put("FISH_BASE_URL", simulatorUrl);
        env.put("FISH_TOKEN_SECRET_ARN", c.fishTokenSecretArn());
        env.put("EVENT_BUS_NAME", eventBus);
        env.put("WEBHOOKS_QUEUE_URL", webhooksQueueUrl);
        env.put("WEBHOOKS_DEAD_LETTER_QUEUE_URL", webhooksDeadLetterQueueUrl);
        env.put("WEBHOOK_SECRET_ARN", c.notifications().webhookSecretArn());
        // the webhook receiver is plain http on loopback, as in a local run
        env.put("ALLOW_LOCAL_URLS", "true");
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
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", primed ? "snap-start" : "on-demand");
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
                PutObjectResponse put = pipeline.s3().putObject(b -> b.bucket(bucket).key(key),
                        RequestBody.fromBytes(audio));
                ObjectNode s3 = (ObjectNode) event.path("Records").get(0).path("s3");
                ((ObjectNode) s3.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
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
            case "notify" -> {
                // A job that just succeeded and has a webhook: one event on the bus, one webhook message.
                Instant now = Instant.now();
                Job running = Job.queued("bench-" + id + "-" + UUID.randomUUID(), bucket, List.of("incoming/b.wav"),
                        List.of(), ModelSpec.titled("bench"), List.of(), now)
                        .withOptions(new JobOptions(receiver.url("/hook"), null))
                        .withStatus(JobStatus.RUNNING, now).withVersion(2);
                Job succeeded = running.withStatus(JobStatus.SUCCEEDED, now).withVersion(3);
                ObjectNode dynamodb = (ObjectNode) event.path("Records").get(0).path("dynamodb");
                ((ObjectNode) dynamodb.path("Keys").path("jobId")).put("S", running.jobId());
                image((ObjectNode) dynamodb.path("OldImage"), running);
                image((ObjectNode) dynamodb.path("NewImage"), succeeded);
            }
            case "webhook" -> {
                // A real delivery: an ended job with a callback URL on the local receiver, signed and posted once.
                String jobId = "bench-" + id + "-" + UUID.randomUUID();
                Instant now = Instant.now();
                jobs.createIfAbsent(Job.queued(jobId, bucket, List.of("incoming/b.wav"), List.of(),
                        ModelSpec.titled("bench"), List.of(), now).withOptions(new JobOptions(receiver.url("/hook"), null)));
                jobs.update(jobs.find(jobId).orElseThrow().withStatus(JobStatus.SUCCEEDED, now));
                String body = SqsWebhookQueue.bodyOf(WebhookDelivery.first("msg_" + jobId, jobId, "job.succeeded",
                        "{\"type\":\"job.succeeded\",\"data\":{\"job_id\":\"" + jobId + "\"}}", now));
                ObjectNode record = (ObjectNode) event.path("Records").get(0);
                record.put("body", body).put("md5OfBody", md5(body));
            }
            default -> throw new IllegalArgumentException(name);
        }
        Path file = work.resolve("events").resolve(id + ".json");
        Files.writeString(file, event.toString());
        return file;
    }

    /** A job as DynamoJobStore stores it, as a stream image: the key, the whole job as JSON, its version. */
    private static void image(ObjectNode image, Job job) {
        image.putObject("jobId").put("S", job.jobId());
        image.putObject("body").put("S", Json.write(job));
        image.putObject("version").put("N", Long.toString(job.version()));
    }

    /**
     * The harness directory: only the harness classes (copied out of infra-tests' classes into a jar) and Lambda's
     * event serializer jar, so the child sees nothing of infra-tests. A jar, not a class directory: a JVM refuses
     * to write or use an AppCDS archive with a non-empty directory on its class path ({@code --appcds}).
     */
    private Path prepareHarness() throws IOException, URISyntaxException {
        Path dir = work.resolve("harness");
        Path lib = dir.resolve("lib");
        Files.createDirectories(lib);
        Path compiled = Path.of(HandlerHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/voicedrop/bench");
        try (Stream<Path> files = Files.list(compiled);
             java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(
                     Files.newOutputStream(lib.resolve(HARNESS_JAR)))) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("HandlerHarness") || n.startsWith("BaselineHandler")) {
                    jar.putNextEntry(new java.util.jar.JarEntry("io/voicedrop/bench/" + n));
                    jar.write(Files.readAllBytes(f));
                    jar.closeEntry();
                }
            }
        }
        Path serializer = Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(serializer, lib.resolve(serializer.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository around the working directory (where template.yaml and functions/ are). */
    static Path findRepo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from inside the repository (no template.yaml above " + Path.of("").toAbsolutePath() + ")");
    }

    @Override
    public void close() {
        receiver.close();
    }
}
