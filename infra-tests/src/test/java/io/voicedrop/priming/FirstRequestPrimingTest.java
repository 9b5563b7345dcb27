package io.voicedrop.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.voicedrop.api.ApiHandler;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.ingest.IngestFirstRequest;
import io.voicedrop.ingest.IngestHandler;
import io.voicedrop.notify.NotifyFirstRequest;
import io.voicedrop.notify.NotifyHandler;
import io.voicedrop.notify.WebhookFirstRequest;
import io.voicedrop.notify.WebhookHandler;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.MicronautPriming;
import io.voicedrop.wiring.SnapStartPriming;
import io.voicedrop.wiring.Wiring;
import io.voicedrop.worker.WorkerFirstRequest;
import io.voicedrop.worker.WorkerHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming rehearses each function's first request (docs/architecture.md, "Cold start") all the way
 * through its handler, and nothing leaves the JVM: every AWS endpoint and the upstream are one loopback server that
 * counts what reaches it, and it must see nothing (no AWS call, so no job, queue message, event or status report; no
 * upstream call, so no bill). What the rehearsal's offline clients were asked shows how far the request went.
 *
 * <p>Each test initialises the function as Lambda does (its handler on its wiring, the API's on a context of every
 * module's beans, as in this test's classpath) and primes it for that handler only ({@code _HANDLER}, which Lambda
 * sets).
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
     * Initialises {@code handler} on its wiring as Lambda would, primes it (the first request of {@code handler}
     * only) and returns what the rehearsal's offline AWS clients were asked.
     */
    private Map<String, Integer> prime(Class<?> handler, Function<Wiring, Object> init, FirstRequest<Wiring> first) {
        try (Wiring wiring = Wiring.of(config())) {
            init.apply(wiring);
            return check(SnapStartPriming.register(wiring, first), handler);
        }
    }

    /** The same for the API, on its Micronaut context. */
    private Map<String, Integer> primeApi() {
        try (ApplicationContext context = ApplicationContext.builder().singletons(config()).start()) {
            new ApiHandler(context);
            return check(new MicronautPriming(context).priming(), ApiHandler.class);
        }
    }

    private Map<String, Integer> check(SnapStartPriming priming, Class<?> handler) {
        List<String> failed = priming.prime(handler.getName());
        assertEquals(List.of(), failed, "priming steps that failed");
        assertEquals(List.of(), reached, "priming reached AWS or the upstream");
        return priming.lastRehearsal().orElseThrow().calls();
    }

    @Test
    void ingestRehearsesAWholeUploadOffline() {
        Map<String, Integer> calls = prime(IngestHandler.class, IngestHandler::new, new IngestFirstRequest());
        // read the sample, checked it, wrote the job, enqueued it and reported the status: all offline
        assertTrue(calls.keySet().containsAll(List.of("s3:HEAD", "s3:GET", "DynamoDB_20120810.PutItem",
                "AmazonSQS.SendMessage", "s3:PUT")), calls.toString());
    }

    @Test
    void workerRehearsesARedeliveredJobWithoutTheUpstream() {
        Map<String, Integer> calls = prime(WorkerHandler.class, WorkerHandler::new, new WorkerFirstRequest());
        assertTrue(calls.containsKey("DynamoDB_20120810.GetItem"), calls.toString());
        // the rehearsal's upstream refuses every call, so a step would have failed had the worker tried to create
        assertFalse(calls.containsKey("AmazonSQS.SendMessage"), "nothing dead-lettered: " + calls);
    }

    @Test
    void apiRehearsesAnAuthenticatedListOffline() {
        Map<String, Integer> calls = primeApi();
        // the key's lookup and the catalog's page (an empty catalog: its counter says 0), 200 (ApiFirstRequest checks)
        assertTrue(calls.getOrDefault("DynamoDB_20120810.GetItem", 0) >= 2, calls.toString());
    }

    @Test
    void notifyRehearsesAJobsEndOffline() {
        Map<String, Integer> calls = prime(NotifyHandler.class, NotifyHandler::new, new NotifyFirstRequest());
        // the state-change event and the webhook's first delivery, scheduled: neither left the JVM
        assertTrue(calls.keySet().containsAll(List.of("AWSEvents.PutEvents", "AmazonSQS.SendMessage")), calls.toString());
    }

    @Test
    void webhookRehearsesASignedDeliveryWithoutSendingIt() {
        Map<String, Integer> calls = prime(WebhookHandler.class, WebhookHandler::new, new WebhookFirstRequest());
        assertTrue(calls.keySet().containsAll(List.of("DynamoDB_20120810.GetItem", "secretsmanager.GetSecretValue")),
                calls.toString());
    }

    @Test
    void theRehearsalWritesNoMetricDataPoint() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            prime(IngestHandler.class, IngestHandler::new, new IngestFirstRequest());
        } finally {
            System.setOut(original);
        }
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("\"_aws\""), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyHandlerOfTheTemplateHasAFirstRequest() throws Exception {
        List<String> template = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+Handler:\\s*(\\S+)").matcher(Files.readString(templatePath()));
        while (m.find()) {
            template.add(m.group(1));
        }
        List<String> handlers = new ArrayList<>();
        try (ApplicationContext context = ApplicationContext.builder().singletons(config()).start()) {
            context.getBeansOfType(FirstRequest.class).forEach(r -> handlers.add(r.handler()));
        }
        // the plain functions' (each handler's no-arg constructor registers its own, see SnapStartPriming.register)
        for (FirstRequest<?> r : List.of(new IngestFirstRequest(), new WorkerFirstRequest(), new NotifyFirstRequest(),
                new WebhookFirstRequest())) {
            handlers.add(r.handler());
        }
        assertEquals(template.stream().sorted().toList(), handlers.stream().sorted().toList());
    }

    private static Path templatePath() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml"))) {
                return p.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    }
}
