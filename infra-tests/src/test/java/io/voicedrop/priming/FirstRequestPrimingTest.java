package io.voicedrop.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.api.ApiHandler;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.ingest.IngestHandler;
import io.voicedrop.notify.NotifyHandler;
import io.voicedrop.notify.WebhookHandler;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.worker.WorkerHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming rehearses each function's first request (docs/architecture.md, "Cold start") all the way
 * through its handler, and nothing leaves the JVM: every AWS endpoint and the upstream are one loopback server that
 * counts what reaches it, and it must see nothing (no AWS call, so no job, queue message, event or status report; no
 * upstream call, so no bill). What the rehearsal's offline clients were asked shows how far the request went.
 *
 * <p>Each test initialises the function as Lambda does (its handler on a context of every module's beans, as in
 * this test's classpath) and primes it for that handler only ({@code _HANDLER}, which Lambda sets).
 */
class FirstRequestPrimingTest {

    private HttpServer outside;
    private final List<String> reached = new ArrayList<>();

    @BeforeEach
    void startTheOutsideWorld() throws Exception {
        outside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        outside.createContext("/", exchange -> {
            synchronized (reached) {
                reached.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        outside.start();
    }

    @AfterEach
    void stop() {
        outside.stop(0);
    }

    private VoiceDropConfig config() {
        String url = "http://127.0.0.1:" + outside.getAddress().getPort();
        return VoiceDropConfig.from(Map.ofEntries(Map.entry("BUCKET_NAME", "voicedrop-audio"),
                Map.entry("JOBS_TABLE", "voicedrop-jobs"), Map.entry("MODELS_TABLE", "voicedrop-models"),
                Map.entry("API_KEYS_TABLE", "voicedrop-api-keys"), Map.entry("JOBS_QUEUE_URL", url + "/000000000000/jobs"),
                Map.entry("DEAD_LETTER_QUEUE_URL", url + "/000000000000/jobs-dlq"), Map.entry("FISH_BASE_URL", url),
                Map.entry("FISH_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:fish"),
                Map.entry("EVENT_BUS_NAME", "voicedrop"), Map.entry("WEBHOOKS_QUEUE_URL", url + "/000000000000/webhooks"),
                Map.entry("WEBHOOK_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:webhook"),
                Map.entry("AWS_ENDPOINT_URL", url), Map.entry("AWS_REGION", "eu-west-1")));
    }

    /**
     * Initialises {@code handler} on a context as Lambda would, primes it (the first request of {@code handler} only)
     * and returns what the rehearsal's offline AWS clients were asked.
     */
    private Map<String, Integer> prime(Class<?> handler, Function<ApplicationContext, Object> init) {
        try (ApplicationContext context = ApplicationContext.builder().singletons(config()).start()) {
            init.apply(context);
            SnapStartPriming priming = new SnapStartPriming(context);
            List<String> failed = priming.prime(handler.getName());
            assertEquals(List.of(), failed, "priming steps that failed");
            assertEquals(List.of(), reached, "priming reached AWS or the upstream");
            return priming.lastRehearsal().orElseThrow().calls();
        }
    }

    @Test
    void ingestRehearsesAWholeUploadOffline() {
        Map<String, Integer> calls = prime(IngestHandler.class, IngestHandler::new);
        // read the sample, checked it, wrote the job, enqueued it and reported the status: all offline
        assertTrue(calls.keySet().containsAll(List.of("s3:HEAD", "s3:GET", "DynamoDB_20120810.PutItem",
                "AmazonSQS.SendMessage", "s3:PUT")), calls.toString());
    }

    @Test
    void workerRehearsesARedeliveredJobWithoutTheUpstream() {
        Map<String, Integer> calls = prime(WorkerHandler.class, WorkerHandler::new);
        assertTrue(calls.containsKey("DynamoDB_20120810.GetItem"), calls.toString());
        // the rehearsal's upstream refuses every call, so a step would have failed had the worker tried to create
        assertFalse(calls.containsKey("AmazonSQS.SendMessage"), "nothing dead-lettered: " + calls);
    }

    @Test
    void apiRehearsesAnAuthenticatedListOffline() {
        Map<String, Integer> calls = prime(ApiHandler.class, ApiHandler::new);
        // the key's lookup and the catalog's page (an empty catalog: its counter says 0), 200 (ApiFirstRequest checks)
        assertTrue(calls.getOrDefault("DynamoDB_20120810.GetItem", 0) >= 2, calls.toString());
    }

    @Test
    void notifyRehearsesAJobsEndOffline() {
        Map<String, Integer> calls = prime(NotifyHandler.class, NotifyHandler::new);
        // the state-change event and the webhook's first delivery, scheduled: neither left the JVM
        assertTrue(calls.keySet().containsAll(List.of("AWSEvents.PutEvents", "AmazonSQS.SendMessage")), calls.toString());
    }

    @Test
    void webhookRehearsesASignedDeliveryWithoutSendingIt() {
        Map<String, Integer> calls = prime(WebhookHandler.class, WebhookHandler::new);
        assertTrue(calls.keySet().containsAll(List.of("DynamoDB_20120810.GetItem", "secretsmanager.GetSecretValue")),
                calls.toString());
    }

    @Test
    void theRehearsalWritesNoMetricDataPoint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            prime(IngestHandler.class, IngestHandler::new);
        } finally {
            System.setOut(original);
        }
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("\"_aws\""), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyHandlerOfTheTemplateHasAFirstRequest() {
        try (ApplicationContext context = ApplicationContext.builder().singletons(config()).start()) {
            List<String> handlers = context.getBeansOfType(FirstRequest.class).stream().map(FirstRequest::handler)
                    .sorted().toList();
            assertEquals(List.of(ApiHandler.class.getName(), IngestHandler.class.getName(), NotifyHandler.class.getName(),
                    WebhookHandler.class.getName(), WorkerHandler.class.getName()), handlers);
        }
    }
}
