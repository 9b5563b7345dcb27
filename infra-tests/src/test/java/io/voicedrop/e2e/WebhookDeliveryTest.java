package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.http.GuardedHttp;
import io.voicedrop.adapters.http.GuardedWebhookSender;
import io.voicedrop.adapters.http.OutboundGuard;
import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.service.WebhookSignature;
import io.voicedrop.sim.WebhookReceiver;
import io.voicedrop.testing.Jobs;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link WebhookDispatcher} with the real sender and guard, a jobs table in the emulator and a local receiver: what is never
 * sent (server-side request forgery through {@code callback_url}, directly or by redirect), and what happens when
 * the retry window is over. The production policy (https, public addresses) is used; since this machine has only
 * loopback, the redirect case lets a stub resolver call the first host public and routes it to the receiver through
 * a proxy, as {@code VoiceFetcherTest} does.
 */
class WebhookDeliveryTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** Remembers what the dispatcher scheduled and parked instead of sending it to SQS. */
    static final class RecordingQueue implements WebhookQueue {
        final List<WebhookDelivery> scheduled = new ArrayList<>();
        final List<String> deadLettered = new ArrayList<>();

        @Override
        public void schedule(WebhookDelivery delivery, Duration delay) {
            scheduled.add(delivery);
        }

        @Override
        public void deadLetter(WebhookDelivery delivery, String reason) {
            deadLettered.add(reason);
        }
    }

    /** Jobs of a table without a stream: the stack's own notifier must not deliver these webhooks too. */
    private static final JobStore jobs = table();

    private static JobStore table() {
        DynamoDbClient dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        String name = "webhook-delivery-jobs-" + RUN;
        dynamo.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("jobId").attributeType("S"))
                .keySchema(k -> k.attributeName("jobId").keyType("HASH")));
        return new DynamoJobStore(dynamo, name);
    }
    private final RecordingQueue queue = new RecordingQueue();
    private static final Metrics NO_METRICS = new Metrics() {
        public void count(String name, long value) { }
        public void timeMillis(String name, long millis) { }
    };

    private WebhookDispatcher dispatcher(GuardedHttp http) {
        return new WebhookDispatcher(jobs, new GuardedWebhookSender(http, Clock.systemUTC()), queue,
                () -> WebhookSignature.ofSecret(SECRET), new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(2),
                Integer.MAX_VALUE, Math::random), NO_METRICS,
                new WebhookDispatcher.Settings(Duration.ofSeconds(2), Duration.ofHours(24)), Clock.systemUTC());
    }

    private String endedJob(String name, String callbackUrl) {
        String jobId = "webhook-" + name + "-" + RUN;
        Instant now = Instant.now();
        jobs.createIfAbsent(Jobs.queued(jobId, now).bucket(stack().pipeline.bucket())
                .sourceKeys(List.of("incoming/" + jobId + ".wav")).samples(List.of()).spec(ModelSpec.titled(name))
                .options(new JobOptions(callbackUrl, null)).build());
        jobs.update(jobs.find(jobId).orElseThrow().withStatus(JobStatus.SUCCEEDED, now));
        return jobId;
    }

    private static WebhookDelivery delivery(String jobId) {
        return WebhookDelivery.first("msg_" + jobId, jobId, "job.succeeded", "{\"type\":\"job.succeeded\"}",
                Instant.now());
    }

    private Attempt lastWebhookAttempt(String jobId) {
        List<Attempt> history = jobs.find(jobId).orElseThrow().history();
        return history.get(history.size() - 1);
    }

    @Test
    void aCallbackOnALocalAddressIsNeverContacted() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            for (String url : List.of(receiver.url("/hook"), "https://127.0.0.1:" + receiver.port() + "/hook",
                    "https://169.254.169.254/latest/meta-data/")) {
                String jobId = endedJob("local-" + Math.abs(url.hashCode()), url);
                dispatcher(new GuardedHttp(OutboundGuard.of(false))).deliver(delivery(jobId),
                        Instant.now().plusSeconds(60));
                Attempt a = lastWebhookAttempt(jobId);
                assertEquals("webhook", a.operation());
                assertEquals("refused", a.outcome(), a.toString());
                assertEquals("refused", a.code());
                assertTrue(!a.message().contains("127.0.0.1") && !a.message().contains("169.254"), a.message());
            }
            assertEquals(0, receiver.receipts().size(), "nothing reached the receiver");
            assertEquals(3, queue.deadLettered.size(), "a refused URL is dead-lettered at once, not retried");
            assertTrue(queue.scheduled.isEmpty());
        }
    }

    @Test
    void aRedirectIntoThePrivateNetworkIsNotFollowed() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.redirectNext(307, "http://127.0.0.1:" + receiver.port() + "/inside");
            OutboundGuard.Resolver resolver = host -> host.equals("hooks.example.test")
                    ? new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})}
                    : InetAddress.getAllByName(host);
            HttpClient viaReceiver = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", receiver.port()))).build();
            // Plain http only because the receiver has no TLS; non-public addresses stay refused, as in AWS.
            GuardedHttp http = new GuardedHttp(new OutboundGuard(resolver, new OutboundGuard.Policy(true, false)),
                    viaReceiver);
            String jobId = endedJob("redirect", "http://hooks.example.test/hook");
            dispatcher(http).deliver(delivery(jobId), Instant.now().plusSeconds(60));

            assertEquals(List.of("/hook"), receiver.receipts().stream().map(WebhookReceiver.Receipt::path).toList(),
                    "the first hop only; /inside is never requested");
            Attempt a = lastWebhookAttempt(jobId);
            assertEquals("refused", a.outcome());
            assertTrue(a.message().contains("a redirect led to a host that resolves to a private"), a.message());
            assertEquals(1, queue.deadLettered.size());
        }
    }

    @Test
    void afterTheRetryWindowAFailingReceiverIsDeadLettered() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.failNext(2, 503);
            GuardedHttp http = new GuardedHttp(OutboundGuard.of(true));
            String jobId = endedJob("window", receiver.url("/hook"));

            WebhookDelivery young = delivery(jobId).retried(Instant.now().minus(Duration.ofHours(23)), Instant.now());
            dispatcher(http).deliver(young, Instant.now().plusSeconds(60));
            assertEquals("retry", lastWebhookAttempt(jobId).outcome(), "inside the window: retried");
            assertEquals(1, queue.scheduled.size());
            WebhookDelivery next = queue.scheduled.get(0);
            assertEquals(2, next.attempts());
            assertTrue(next.dueAt().isAfter(Instant.now().minusSeconds(1)));

            WebhookDelivery old = delivery(jobId).retried(Instant.now().minus(Duration.ofHours(25)), Instant.now());
            dispatcher(http).deliver(old, Instant.now().plusSeconds(60));
            Attempt last = lastWebhookAttempt(jobId);
            assertEquals("dead_lettered", last.outcome(), last.toString());
            assertEquals(503, last.httpStatus());
            assertEquals(List.of("HTTP 503"), queue.deadLettered);
            assertEquals(2, receiver.receipts().size());
        }
    }

    @Test
    void aDeliveryWithoutTimeForItsAttemptIsHandedBackUntried() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String jobId = endedJob("late", receiver.url("/hook"));
            var outcome = dispatcher(new GuardedHttp(OutboundGuard.of(true))).deliver(delivery(jobId),
                    Instant.now().plusSeconds(3));
            assertEquals(io.voicedrop.core.service.WorkOutcome.Action.RETRY_LATER, outcome.action());
            assertEquals(0, receiver.receipts().size());
        }
    }
}
