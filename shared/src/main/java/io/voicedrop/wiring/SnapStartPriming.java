package io.voicedrop.wiring;

import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.adapters.metrics.PowertoolsMetrics;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.SampleUrlSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, run the code paths of a first invocation that
 * do not depend on the outside world, so their classes are loaded, linked and C1-compiled in the snapshot instead of
 * on every restored instance's first request.
 *
 * <p><b>What is primed</b>: first what init left to first use (the API's controllers, see {@link MicronautPriming});
 * then the function's first request, rehearsed offline ({@link FirstRequest}); then the JSON mapper (a {@link Job} and a {@link ModelEntity} both ways, a queue message), and
 * for each AWS client this function actually built (DynamoDB, SQS, S3, the presigner, Secrets Manager for the
 * worker and the webhook function, EventBridge for the notify function) the SDK's whole request pipeline: request marshalling, endpoint rules, SigV4 signing, checksums, the HTTP
 * call and response unmarshalling, and the EMF metric serialisation.
 *
 * <p><b>Without any network call</b>: the SDK calls go to throw-away clients of the same services and region whose
 * HTTP client answers locally with canned responses, signed with dummy credentials. The SDK's expensive first-call
 * work is JVM-wide (classes, rules engine, marshallers), so it is primed just as well, and:
 * <ul>
 *   <li>no connection is opened before the snapshot: a pooled keep-alive socket would be dead in every restored
 *       instance, so its first real call would fail once and retry;</li>
 *   <li>no credentials are resolved before the snapshot (the real clients resolve them on first use, after
 *       restore, from the SnapStart container-credentials endpoint);</li>
 *   <li>publishing a version never depends on the tables, queues or IAM permissions being reachable, and puts no
 *       stray requests on them; the paid upstream is never called (nothing here knows its URL or token).</li>
 * </ul>
 *
 * <p><b>When</b>: only when Lambda initialises a SnapStart version ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}):
 * the function's init makes one ({@link #onSnapStartInit}; the API's Micronaut context through
 * {@link MicronautPriming}), which only registers itself with CRaC's global context (cheap). Everything else runs in
 * {@link #beforeCheckpoint}, which is never called on an on-demand cold start, in tests or in the local runner.
 * Priming is best effort: a failing step is logged and skipped, it never fails the snapshot.
 *
 * <p>What "the function" is, its settings, what it built and how its first request is rehearsed, comes from a
 * {@link PrimedFunction}: the plain {@link Wiring} of the ingest, worker and notify functions, or the API's context.
 */
public class SnapStartPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** CRaC may hold registered resources weakly: keep the registered one reachable. */
    private static volatile SnapStartPriming registered;

    private final PrimedFunction function;
    private volatile OfflineAwsHttp lastRehearsal;

    /** Registers the priming of {@code function} with CRaC; tests and the benchmark may make one by hand. */
    public SnapStartPriming(PrimedFunction function) {
        this.function = function;
        Core.getGlobalContext().register(this);
        registered = this;
    }

    /** Whether Lambda is initialising a SnapStart version (the only time a checkpoint follows). */
    public static boolean snapStartInit() {
        return "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /**
     * A plain function's init: its components from the environment, and, at a SnapStart init, the priming of
     * {@code firstRequest}'s handler registered.
     */
    public static Wiring onSnapStartInit(Wiring wiring, FirstRequest<Wiring> firstRequest) {
        if (snapStartInit()) {
            register(wiring, firstRequest);
        }
        return wiring;
    }

    /** The priming of a plain function, registered with CRaC: its components, its handler's first request. */
    public static SnapStartPriming register(Wiring wiring, FirstRequest<Wiring> firstRequest) {
        return new SnapStartPriming(new WiringPriming(wiring, List.of(firstRequest)));
    }

    /** The instance registered with CRaC in this JVM, if any (the cold-start benchmark drives it by hand). */
    public static Optional<SnapStartPriming> registered() {
        return Optional.ofNullable(registered);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> crac) {
        long started = System.nanoTime();
        List<String> failed = prime();
        LOG.info("SnapStart priming done in {} ms; failed steps: {}", (System.nanoTime() - started) / 1_000_000, failed);
    }

    /**
     * Nothing primed or built at init holds time-sensitive state: priming used throw-away clients and dummy
     * credentials; the real clients resolve credentials on first use; the upstream token is read lazily with a TTL;
     * DNS was never looked up before the snapshot. So there is nothing to refresh; this only marks the restore.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> crac) {
        LOG.debug("restored from a SnapStart snapshot");
    }

    /**
     * Runs every priming step and returns the names of those that failed (empty when all succeeded). The first
     * request rehearsed is that of Lambda's {@code _HANDLER} (every one of the module when it is not set).
     */
    public List<String> prime() {
        return prime(Optional.ofNullable(System.getenv("_HANDLER")).orElse(""));
    }

    /** {@link #prime()} for the handler class {@code handler} (a blank one: every handler's first request). */
    public List<String> prime(String handler) {
        return prime(new OfflineAwsHttp(), handler);
    }

    List<String> prime(OfflineAwsHttp http) {
        return prime(http, "");
    }

    private List<String> prime(OfflineAwsHttp http, String handler) {
        List<String> failed = new ArrayList<>();
        step("beans", failed, function::createEntryPoints);
        step("json", failed, this::primeJson);
        OfflineAwsHttp rehearsal = new OfflineAwsHttp();
        function.rehearse(handler.strip(), rehearsal, (name, action) -> step(name, failed, action));
        lastRehearsal = rehearsal;
        Region region = Region.of(function.config().region());
        StaticCredentialsProvider dummy = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMING", "priming"));
        // By name: a function's artifact ships only the SDKs it calls (shared/pom.xml), and a class literal of one it
        // does not ship would fail here.
        if (active("software.amazon.awssdk.services.dynamodb.DynamoDbClient")) {
            step("dynamodb", failed, () -> primeDynamo(region, dummy, http));
        }
        if (active("software.amazon.awssdk.services.sqs.SqsClient")) {
            step("sqs", failed, () -> primeSqs(region, dummy, http));
        }
        if (active("software.amazon.awssdk.services.s3.S3Client")) {
            step("s3", failed, () -> primeS3(region, dummy, http));
        }
        if (active(SampleUrlSigner.class.getName())) {
            step("s3-presign", failed, () -> primePresigner(region, dummy));
        }
        if (active(FishApi.class.getName()) || active(WebhookDispatcher.class.getName())) {
            step("secretsmanager", failed, () -> primeSecrets(region, dummy, http));
        }
        if (active(JobEventPublisher.class.getName())) {
            step("eventbridge", failed, () -> primeEventBridge(region, dummy, http));
        }
        function.built(Metrics.class).forEach(built -> {
            if (built instanceof PowertoolsMetrics m) {
                step("metrics", failed, m::prime);
            }
        });
        return failed;
    }

    /** What the last first-request rehearsal's offline AWS clients were asked, by operation (tests read it). */
    public Optional<OfflineAwsHttp> lastRehearsal() {
        return Optional.ofNullable(lastRehearsal);
    }

    /** Whether the function built a bean of this type; false when its artifact does not even ship the class. */
    private boolean active(String type) {
        try {
            return !function.built(Class.forName(type, false, getClass().getClassLoader())).isEmpty();
        } catch (ClassNotFoundException | LinkageError notShipped) {
            return false;
        }
    }

    private static void step(String name, List<String> failed, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError e) {
            failed.add(name);
            LOG.warn("SnapStart priming step {} failed: {}", name, e.toString());
        }
    }

    private void primeJson() {
        Job job = Json.read("{\"jobId\":\"prime\",\"status\":\"QUEUED\",\"version\":1,\"bucket\":\"b\","
                + "\"sourceKeys\":[\"incoming/prime.wav\"],\"attempts\":0,\"createStarted\":false,"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}", Job.class);
        Json.read(Json.write(job), Job.class);
        ModelEntity model = Json.read("{\"_id\":\"prime\",\"title\":\"prime\",\"tags\":[\"t\"],\"languages\":[\"en\"],"
                + "\"samples\":[],\"author\":{\"_id\":\"a\",\"nickname\":\"n\",\"avatar\":\"\"}}", ModelEntity.class);
        Json.read(Json.write(model), ModelEntity.class);
        JobMessage.jobIdOf(JobMessage.bodyFor("prime"));
    }

    private static void primeDynamo(Region region, StaticCredentialsProvider creds, OfflineAwsHttp http) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(region).credentialsProvider(creds).httpClient(http).build()) {
            Map<String, AttributeValue> key = Map.of("jobId", AttributeValue.fromS("prime"));
            dynamo.getItem(b -> b.tableName("prime").key(key).consistentRead(true));
            dynamo.putItem(b -> b.tableName("prime").item(Map.of("jobId", AttributeValue.fromS("prime"),
                    "version", AttributeValue.fromN("1"), "tags", AttributeValue.fromL(List.of(AttributeValue.fromS("t")))))
                    .conditionExpression("attribute_not_exists(jobId)"));
            dynamo.updateItem(b -> b.tableName("prime").key(key).updateExpression("SET #v = :v")
                    .conditionExpression("#v = :old").expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("2"), ":old", AttributeValue.fromN("1"))));
            dynamo.query(b -> b.tableName("prime").indexName("byStatus").keyConditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("QUEUED"))).limit(1));
        }
    }

    private static void primeSqs(Region region, StaticCredentialsProvider creds, OfflineAwsHttp http) {
        try (SqsClient sqs = SqsClient.builder().region(region).credentialsProvider(creds).httpClient(http).build()) {
            String url = "https://sqs." + region.id() + ".amazonaws.com/000000000000/prime";
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(JobMessage.bodyFor("prime")).delaySeconds(0));
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle("prime").visibilityTimeout(0));
        }
    }

    private static void primeS3(Region region, StaticCredentialsProvider creds, OfflineAwsHttp http) {
        try (S3Client s3 = S3Client.builder().region(region).credentialsProvider(creds).httpClient(http).build()) {
            s3.putObject(b -> b.bucket("prime-bucket").key("status/prime.json").contentType("application/json"),
                    RequestBody.fromString("{}"));
            s3.getObjectAsBytes(b -> b.bucket("prime-bucket").key("incoming/prime.wav").range("bytes=0-3"));
            s3.headObject(b -> b.bucket("prime-bucket").key("incoming/prime.wav"));
        }
    }

    private static void primePresigner(Region region, StaticCredentialsProvider creds) {
        try (S3Presigner presigner = S3Presigner.builder().region(region).credentialsProvider(creds).build()) {
            presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("prime-bucket").key("incoming/prime.wav").versionId("v1")));
        }
    }

    private static void primeEventBridge(Region region, StaticCredentialsProvider creds, OfflineAwsHttp http) {
        try (EventBridgeClient events = EventBridgeClient.builder().region(region).credentialsProvider(creds)
                .httpClient(http).build()) {
            events.putEvents(b -> b.entries(e -> e.eventBusName("prime").source("voicedrop")
                    .detailType("VoiceDrop Job State Change").detail("{}")));
        }
    }

    private static void primeSecrets(Region region, StaticCredentialsProvider creds, OfflineAwsHttp http) {
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().region(region).credentialsProvider(creds)
                .httpClient(http).build()) {
            secrets.getSecretValue(b -> b.secretId("prime"));
        }
    }
}
