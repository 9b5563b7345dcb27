package io.voicedrop.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.wiring.Wiring;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.api.ApiHandler;
import io.voicedrop.api.ApiSettings;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.ingest.IngestHandler;
import io.voicedrop.notify.NotifyHandler;
import io.voicedrop.notify.WebhookHandler;
import io.voicedrop.worker.WorkerHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The whole VoiceDrop pipeline on one machine: the template's resources in an AWS emulator, the real handlers
 * in this JVM, and the event sources Lambda would provide (S3 notifications → ingest, jobs queue → worker with
 * partial batch failures, HTTP → API handler, the jobs table's stream → notify, webhooks queue → webhook).
 */
public final class LocalPipeline implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalPipeline.class);

    static final String STACK = "voicedrop-local";
    static final String REGION = "us-east-1";
    static final String S3_EVENTS_QUEUE = "voicedrop-local-s3-events";
    /**
     * How many S3 notifications are ingested at once. Lambda invokes the ingest function for each notification on
     * its own (asynchronously, many at a time), so one poller handling them in turn was slower than AWS and not
     * faithful: 500 files dropped at once waited for each other.
     */
    static final int INGEST_CONCURRENCY = 4;

    private final AwsEmulator emulator;
    private final CfnTemplate template;
    private final VoiceDropConfig config;
    private final Wiring wiring;
    private final ApplicationContext context;
    private final IngestHandler ingest;
    private final WorkerHandler worker;
    private final ApiHandler api;
    private final NotifyHandler notify;
    private final WebhookHandler webhook;
    private final AwsClients aws;
    private final LocalHttpApi httpApi;
    private final S3Client s3;
    private final SqsClient sqs;
    private final String s3EventsQueueUrl;
    private final ExecutorService pollers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final int workerBatchSize;
    private final Duration workerTimeout;
    private final Duration ingestTimeout;
    private final Map<String, String> environment;
    private final List<AutoCloseable> extraApis = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<io.voicedrop.core.model.Job>> jobListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<InvocationListener> invocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told about every function invocation this runner makes: which function, how many records, how long. */
    public interface InvocationListener {
        void invoked(String functionId, int records, Duration took);
    }

    private LocalPipeline(LocalOptions options, List<ExecutionInterceptor> interceptors) throws IOException {
        emulator = AwsEmulator.start(options.awsEndpoint());
        Map<String, String> params = new HashMap<>(options.parameterOverrides());
        params.put("FishBaseUrl", options.fishBaseUrl());
        template = new CfnTemplate(options.templatePath(), STACK, REGION, params);
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
        env.put("AWS_REGION", REGION);
        VoiceDropConfig bootstrap = VoiceDropConfig.from(Map.of("BUCKET_NAME", "-", "JOBS_TABLE", "-", "MODELS_TABLE", "-",
                "API_KEYS_TABLE", "-", "JOBS_QUEUE_URL", "-", "AWS_ENDPOINT_URL", emulator.endpoint().toString(),
                "AWS_REGION", REGION));
        aws = new AwsClients(bootstrap, interceptors);
        s3 = aws.s3();
        sqs = aws.sqs();
        new LocalResources(template, s3, sqs, aws.dynamoDb(), aws.secretsManager(), aws.eventBridge())
                .createAll(options.fishToken());
        // One context serves every function here, so it gets the union of their environments.
        for (String function : List.of("IngestFunction", "WorkerFunction", "ApiFunction", "NotifyFunction",
                "WebhookFunction")) {
            env.putAll(functionEnvironment(function));
        }
        env.putAll(options.environmentOverrides());
        environment = Map.copyOf(env);
        config = VoiceDropConfig.from(env);
        // The real job store, telling onJobChange listeners about every job the functions store.
        io.voicedrop.core.port.JobStore jobStore = new ObservedJobStore(
                new io.voicedrop.adapters.aws.DynamoJobStore(aws.dynamoDb(), config.jobsTable()),
                job -> jobListeners.forEach(l -> l.accept(job)));
        // One set of components serves every function here: the plain functions' wiring, and the API's context
        // (and the operator commands') over the same clients, job store and pause flag.
        wiring = Wiring.of(config, jobStore, new AwsClients(config, interceptors));
        context = ApplicationContext.builder().singletons(config, ApiSettings.from(env), wiring.jobStore(),
                wiring.awsClients(), wiring.upstreamPause(), wiring.upstreamThrottle()).start();
        ingest = new IngestHandler(wiring);
        worker = new WorkerHandler(wiring);
        api = new ApiHandler(context);
        notify = new NotifyHandler(wiring);
        webhook = new WebhookHandler(wiring);
        workerBatchSize = Integer.parseInt(sqsEventProperty("WorkerFunction", "BatchSize", "10"));
        workerTimeout = Duration.ofSeconds(Long.parseLong(functionProperty("WorkerFunction", "Timeout", "150")));
        ingestTimeout = Duration.ofSeconds(Long.parseLong(functionProperty("IngestFunction", "Timeout", "60")));
        httpApi = new LocalHttpApi(options.apiPort(),
                (e, c) -> timed("ApiFunction", 1, () -> api.handleRequest(e, c)), apiTimeout());
        LocalBucketCors.apply(template, s3, config.bucket(), httpApi.baseUrl());
        s3EventsQueueUrl = connectBucketNotifications();
        int workers = Math.max(1, options.workerConcurrency());
        pollers = Executors.newFixedThreadPool(2 + INGEST_CONCURRENCY + workers);
        for (int i = 0; i < INGEST_CONCURRENCY; i++) {
            pollers.submit(this::pollS3Events);
        }
        StreamPoller jobChanges = new StreamPoller(aws.dynamoDbStreams(), template.resolveString(
                Map.of("Fn::GetAtt", List.of("JobsTable", "StreamArn"))),
                Integer.parseInt(eventProperty("NotifyFunction", "DynamoDB", "BatchSize", "100")),
                e -> timed("NotifyFunction", e.getRecords().size(),
                        () -> notify.handleRequest(e, new LocalLambdaContext("NotifyFunction", notifyTimeout()))));
        pollers.submit(() -> jobChanges.run(running::get));
        pollers.submit(this::pollWebhooks);
        for (int i = 0; i < workers; i++) {
            pollers.submit(this::pollJobs);
        }
    }

    public static LocalPipeline start(LocalOptions options) {
        return start(options, List.of());
    }

    /**
     * A pipeline whose AWS clients (the functions' and this runner's event sources alike) run {@code interceptors}
     * on every call, e.g. to count them.
     */
    public static LocalPipeline start(LocalOptions options, List<ExecutionInterceptor> interceptors) {
        try {
            return new LocalPipeline(options, interceptors);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the local pipeline", e);
        }
    }

    /** The function's environment as Lambda would see it: Globals first, then the function's own variables. */
    @SuppressWarnings("unchecked")
    Map<String, String> functionEnvironment(String functionId) {
        Map<String, String> env = new HashMap<>();
        Map<String, Object> globals = (Map<String, Object>) template.section("Globals").getOrDefault("Function", Map.of());
        Map<String, Object> fn = CfnTemplate.properties(template.resourcesOfType("AWS::Serverless::Function").get(functionId));
        for (Map<String, Object> source : List.of(globals, fn)) {
            Map<String, Object> environment = (Map<String, Object>) source.getOrDefault("Environment", Map.of());
            Map<String, Object> vars = (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
            vars.forEach((k, v) -> env.put(k, template.resolveString(v)));
        }
        return env;
    }

    private Duration apiTimeout() {
        return Duration.ofSeconds(Long.parseLong(functionProperty("ApiFunction", "Timeout", "29")));
    }

    @SuppressWarnings("unchecked")
    private String functionProperty(String functionId, String name, String fallback) {
        Map<String, Object> fn = CfnTemplate.properties(template.resourcesOfType("AWS::Serverless::Function").get(functionId));
        Object v = fn.get(name);
        if (v == null) {
            v = ((Map<String, Object>) template.section("Globals").getOrDefault("Function", Map.of())).get(name);
        }
        return v == null ? fallback : template.resolveString(v);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> eventOfType(String functionId, String type) {
        Map<String, Object> fn = CfnTemplate.properties(template.resourcesOfType("AWS::Serverless::Function").get(functionId));
        for (Object e : ((Map<String, Object>) fn.getOrDefault("Events", Map.of())).values()) {
            Map<String, Object> event = (Map<String, Object>) e;
            if (type.equals(event.get("Type"))) {
                return (Map<String, Object>) event.get("Properties");
            }
        }
        throw new IllegalStateException(functionId + " has no " + type + " event in the template");
    }

    private String sqsEventProperty(String functionId, String name, String fallback) {
        return eventProperty(functionId, "SQS", name, fallback);
    }

    private String eventProperty(String functionId, String type, String name, String fallback) {
        Object v = eventOfType(functionId, type).get(name);
        return v == null ? fallback : template.resolveString(v);
    }

    private Duration notifyTimeout() {
        return Duration.ofSeconds(Long.parseLong(functionProperty("NotifyFunction", "Timeout", "60")));
    }

    /** The webhooks queue → WebhookFunction, with partial batch failures, as Lambda's SQS event source does. */
    private void pollWebhooks() {
        String url = config.notifications().webhooksQueueUrl();
        int batch = Integer.parseInt(eventProperty("WebhookFunction", "SQS", "BatchSize", "10"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(functionProperty("WebhookFunction", "Timeout", "90")));
        while (running.get()) {
            drainOnce(url, batch, m -> timed("WebhookFunction", m.size(), () -> webhook.handleRequest(toSqsEvent(m),
                    new LocalLambdaContext("WebhookFunction", timeout))));
        }
    }

    /** One receive from {@code queueUrl} and one invocation; deletes the messages the function did not fail. */
    private void drainOnce(String queueUrl, int batch, java.util.function.Function<List<Message>, SQSBatchResponse> fn) {
        try {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(Math.min(10, batch)).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                return;
            }
            SQSBatchResponse response = fn.apply(messages);
            Set<String> failed = response.getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
            // Like Lambda's event source: the batch's successes are deleted together, in one request.
            List<DeleteMessageBatchRequestEntry> done = messages.stream().filter(m -> !failed.contains(m.messageId()))
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build())
                    .toList();
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                LOG.warn("an invocation failed; its messages return after the visibility timeout", e);
                pause();
            }
        }
    }

    /** S3 cannot invoke an in-process function, so its notifications go to a queue that this runner drains. */
    @SuppressWarnings("unchecked")
    private String connectBucketNotifications() {
        Map<String, Object> s3Event = eventOfType("IngestFunction", "S3");
        Map<String, Object> filter = (Map<String, Object>) template.resolve(s3Event.getOrDefault("Filter", Map.of()));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) filter
                .getOrDefault("S3Key", Map.of())).getOrDefault("Rules", List.of());
        String url = sqs.createQueue(b -> b.queueName(S3_EVENTS_QUEUE)).queueUrl();
        String arn = LocalResources.queueArn(sqs, url);
        List<software.amazon.awssdk.services.s3.model.FilterRule> filterRules = rules.stream()
                .map(r -> software.amazon.awssdk.services.s3.model.FilterRule.builder()
                        .name(String.valueOf(r.get("Name"))).value(String.valueOf(r.get("Value"))).build())
                .collect(Collectors.toList());
        s3.putBucketNotificationConfiguration(b -> b.bucket(config.bucket()).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(filterRules))))));
        return url;
    }

    private void pollS3Events() {
        var serializer = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader());
        while (running.get()) {
            try {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(s3EventsQueueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages();
                for (Message m : messages) {
                    S3Event event = serializer.fromJson(m.body());
                    timed("IngestFunction", 1, () -> {
                        ingest.handleRequest(event, new LocalLambdaContext("IngestFunction", ingestTimeout));
                        return null;
                    });
                    sqs.deleteMessage(b -> b.queueUrl(s3EventsQueueUrl).receiptHandle(m.receiptHandle()));
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("ingest invocation failed; the S3 event will be delivered again", e);
                    pause(); // like Lambda's async retry: the message is redelivered after its visibility timeout
                }
            }
        }
    }

    private void pollJobs() {
        while (running.get()) {
            drainOnce(config.jobsQueueUrl(), workerBatchSize, m -> timed("WorkerFunction", m.size(),
                    () -> worker.handleRequest(toSqsEvent(m), new LocalLambdaContext("WorkerFunction", workerTimeout))));
        }
    }

    private SQSEvent toSqsEvent(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(m -> {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn("arn:aws:sqs:" + REGION + ":" + CfnTemplate.ACCOUNT + ":JobsQueue");
            r.setAwsRegion(REGION);
            Map<String, String> attrs = new HashMap<>();
            m.attributes().forEach((k, v) -> attrs.put(k.toString(), v));
            r.setAttributes(attrs);
            return r;
        }).collect(Collectors.toList()));
        return event;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Issues an API key through the same store the deployed API uses, and returns its plaintext. */
    public String createApiKey(String owner, String label) {
        return context.getBean(io.voicedrop.core.port.ApiKeyStore.class).create(owner, label).plaintext();
    }

    public URI s3Endpoint() {
        return emulator.endpoint();
    }

    public String emulatorName() {
        return emulator.name();
    }

    /** The emulator's process on this machine, when this runner started it (to measure its CPU time). */
    public java.util.OptionalLong emulatorProcessId() {
        return emulator.processId();
    }

    /** The emulator in one line: what it is, where, and why it was chosen. */
    public String emulatorDescription() {
        return emulator.describe();
    }

    /** Calls {@code listener} after every function invocation (the benchmarks take the functions' durations so). */
    public void onInvocation(InvocationListener listener) {
        invocationListeners.add(listener);
    }

    /** The function (template logical id) whose invocation runs on this thread, if any. */
    public static java.util.Optional<String> invokingFunction() {
        return java.util.Optional.ofNullable(INVOKING.get());
    }

    private static final ThreadLocal<String> INVOKING = new ThreadLocal<>();

    private <T> T timed(String functionId, int records, java.util.function.Supplier<T> invocation) {
        long started = System.nanoTime();
        INVOKING.set(functionId);
        try {
            return invocation.get();
        } finally {
            INVOKING.remove();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            invocationListeners.forEach(l -> l.invoked(functionId, records, took));
        }
    }

    /** Calls {@code listener} with every job the functions store (created or changed), as stored. */
    public void onJobChange(java.util.function.Consumer<io.voicedrop.core.model.Job> listener) {
        jobListeners.add(listener);
    }

    public String bucket() {
        return config.bucket();
    }

    public String apiBaseUrl() {
        return httpApi.baseUrl();
    }

    /** The web console of the local API. */
    public String consoleUrl() {
        return httpApi.baseUrl() + "/console/";
    }

    public VoiceDropConfig config() {
        return config;
    }

    /** The functions' environment as this runner gave it to them (template values and overrides). */
    Map<String, String> environment() {
        return environment;
    }

    /** The API's context (and the operator commands'): its components are the plain functions' ({@link #wiring}). */
    public ApplicationContext context() {
        return context;
    }

    /** The components of the ingest, worker and notify functions here. */
    public Wiring wiring() {
        return wiring;
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public IngestHandler ingestHandler() {
        return ingest;
    }

    public WorkerHandler workerHandler() {
        return worker;
    }

    public ApiHandler apiHandler() {
        return api;
    }

    public NotifyHandler notifyHandler() {
        return notify;
    }

    /**
     * Subscribes to the deployment's job events the way a user would (an EventBridge rule with an SQS target);
     * close it when done.
     */
    public JobEventTap subscribeToJobEvents() {
        return new JobEventTap(aws.eventBridge(), sqs, config.notifications().eventBusName());
    }

    /**
     * Another instance of the API function over the same resources, with some of its environment changed (a
     * deployment with other settings): for comparing settings side by side, e.g. the default voice URL policy
     * against {@code API_ALLOW_LOCAL_VOICE_URLS=true}. Closed with the pipeline; returns its base URL.
     */
    public String startApi(Map<String, String> environmentOverrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(environmentOverrides);
        ApplicationContext apiContext = ApplicationContext.builder()
                .singletons(VoiceDropConfig.from(env), ApiSettings.from(env)).start();
        ApiHandler handler = new ApiHandler(apiContext);
        LocalHttpApi http;
        try {
            http = new LocalHttpApi(0, handler::handleRequest, apiTimeout());
        } catch (IOException e) {
            apiContext.close();
            throw new java.io.UncheckedIOException("could not start another local HTTP API", e);
        }
        extraApis.add(http);
        extraApis.add(apiContext);
        return http.baseUrl();
    }

    /**
     * Stops the pollers (bucket notifications, jobs queue, stream, webhooks queue) and keeps the resources, the
     * context and the API: the cold-start benchmark measures functions against the emulator with nothing else
     * calling it.
     */
    public void stopPolling() {
        running.set(false);
        pollers.shutdown();
    }

    @Override
    public void close() {
        running.set(false);
        pollers.shutdown();
        try {
            pollers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpApi.close();
        for (AutoCloseable extra : extraApis) {
            try {
                extra.close();
            } catch (Exception e) {
                LOG.warn("closing an extra API failed", e);
            }
        }
        context.close();
        emulator.close();
    }
}
