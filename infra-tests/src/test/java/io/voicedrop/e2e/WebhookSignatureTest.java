package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.service.WebhookSignature;
import io.voicedrop.sim.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: a folder upload whose {@code model.json} names a {@code callback_url} on a local
 * {@link WebhookReceiver}; the receiver records what arrived, and an independent implementation, npm
 * {@code standardwebhooks} 1.1.1's {@code Webhook.verify} run with Node, judges the signatures, with the secret as
 * the stack stores it in Secrets Manager. Also: retries after 500s and a timeout, and every attempt in
 * {@code GET /jobs/{id}}.
 */
class WebhookSignatureTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static Path js;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        js = ApiJsClientTest.installClient();
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void theStandardWebhooksLibraryAcceptsADeliveryAndRefusesForgeries() throws Exception {
        String path = "/hooks/signed-" + RUN;
        String jobId = folderJob("signed", receiver.url(path));
        JsonNode job = awaitWebhook(jobId, 1);
        assertEquals("SUCCEEDED", job.path("status").asText());
        List<WebhookReceiver.Receipt> got = receiver.receipts(path);
        assertEquals(1, got.size(), "one delivery");
        WebhookReceiver.Receipt r = got.get(0);
        assertEquals("POST", r.method());
        assertEquals("application/json", r.header("content-type"));
        assertEquals("msg_" + jobId + "_succeeded", r.header("webhook-id"));
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("job.succeeded", body.path("type").asText());
        assertEquals(jobId, body.path("data").path("job_id").asText());
        assertEquals("SUCCEEDED", body.path("data").path("status").asText());
        assertEquals(job.path("model_id").asText(), body.path("data").path("model_id").asText());
        assertFalse(r.body().contains(path), "the job view never carries the callback URL");

        String secret = WebhookSignature.display(secret());
        long now = Instant.now().getEpochSecond();
        String stale = WebhookSignature.ofSecret(secret).sign(r.header("webhook-id"), now - 600, r.body());
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        ArrayNode deliveries = NODES.arrayNode();
        deliveries.add(delivery("as received", secret, r.headers(), r.body()));
        deliveries.add(delivery("tampered body", secret, r.headers(), r.body().replace("SUCCEEDED", "FAILED")));
        deliveries.add(delivery("stale timestamp", secret, with(r.headers(), "webhook-timestamp",
                Long.toString(now - 600), "webhook-signature", stale), r.body()));
        deliveries.add(delivery("other secret", "whsec_" + Base64.getEncoder().encodeToString(otherKey),
                r.headers(), r.body()));
        Map<String, JsonNode> results = verify(deliveries);

        JsonNode ok = results.get("as received");
        assertTrue(ok.path("ok").asBoolean(), ok.toString());
        assertEquals(jobId, ok.path("payload").path("data").path("job_id").asText());
        assertRefused(results.get("tampered body"), "No matching signature found");
        assertRefused(results.get("stale timestamp"), "Message timestamp too old");
        assertRefused(results.get("other secret"), "No matching signature found");

        JsonNode attempt = webhookAttempts(job).get(0);
        assertEquals("delivered", attempt.path("outcome").asText());
        assertEquals(204, attempt.path("http_status").asInt());
        assertEquals(r.header("webhook-id"), attempt.path("trace_id").asText());
    }

    @Test
    void failedAttemptsAreRetriedWithTheSameMessageUntilOneIsDelivered() throws Exception {
        try (WebhookReceiver flaky = WebhookReceiver.start()) {
            // Two 500s, then a receiver that hangs past the sender's timeout (2 s here), then 204.
            flaky.failNext(2, 500).hangNext(1, Duration.ofSeconds(5));
            String path = "/hooks/flaky-" + RUN;
            String jobId = folderJob("flaky", flaky.url(path));
            JsonNode job = awaitWebhook(jobId, 4);
            List<String> outcomes = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            for (JsonNode a : webhookAttempts(job)) {
                outcomes.add(a.path("outcome").asText());
                statuses.add(a.path("http_status").isNull() ? null : a.path("http_status").asInt());
            }
            assertEquals(List.of("retry", "retry", "retry", "delivered"), outcomes, job.toString());
            assertEquals(java.util.Arrays.asList(500, 500, null, 204), statuses);
            assertEquals("timeout", webhookAttempts(job).get(2).path("code").asText());
            List<WebhookReceiver.Receipt> got = flaky.receipts(path);
            assertEquals(4, got.size());
            assertEquals(1, got.stream().map(r -> r.header("webhook-id")).distinct().count(), "one webhook-id");
            assertEquals(1, got.stream().map(WebhookReceiver.Receipt::body).distinct().count(), "one body");
            ArrayNode deliveries = NODES.arrayNode();
            String secret = WebhookSignature.display(secret());
            for (int i = 0; i < got.size(); i++) {
                deliveries.add(delivery("attempt " + (i + 1), secret, got.get(i).headers(), got.get(i).body()));
            }
            verify(deliveries).values().forEach(v -> assertTrue(v.path("ok").asBoolean(), v.toString()));
        }
    }

    @Test
    void anInternalCallbackUrlIsRefusedByTheApiBeforeAnythingHappens() {
        String strict = stack().pipeline.startApi(Map.of("ALLOW_LOCAL_URLS", "false"));
        int before = receiver.receipts().size();
        for (String url : List.of("https://169.254.169.254/latest/meta-data/", receiver.url("/hooks/ssrf"),
                "https://127.0.0.1:" + receiver.port() + "/hooks/ssrf", "https://10.1.2.3/hook",
                "https://[::1]:" + receiver.port() + "/hooks/ssrf", "file:///etc/passwd")) {
            String body = "{\"title\":\"ssrf " + RUN + "\",\"voices\":[\"https://voices.example.org/a.wav\"],"
                    + "\"callback_url\":\"" + url + "\"}";
            var r = ApiCalls.send(strict, "POST", "/fish/model", ApiCalls.bearer(stack().apiToken),
                    "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertEquals(422, r.statusCode(), url + ": " + r.body());
            JsonNode detail = Pipeline.json(r).path("detail");
            boolean named = StreamSupport.stream(detail.spliterator(), false)
                    .anyMatch(d -> d.path("loc").toString().contains("callback_url"));
            assertTrue(named, url + ": " + r.body());
            assertFalse(r.body().contains("169.254") || r.body().contains("127.0.0.1"), "never echoes the URL");
            assertFalse(r.headers().firstValue("X-VoiceDrop-Job-Id").isPresent(), "no job");
        }
        assertEquals(before, receiver.receipts().size(), "nothing was contacted");
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    /** A folder upload (one 31 s sample, model.json with the callback) and its job id. */
    static String folderJob(String name, String callbackUrl) {
        String folder = "incoming/webhook " + name + " " + RUN + "/";
        Pipeline.upload(folder + "take.wav", speech(31));
        ObjectNode manifest = NODES.objectNode().put("callback_url", callbackUrl);
        return Pipeline.upload(folder + "model.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8));
    }

    /** The job once its history holds {@code attempts} webhook attempts, the last one delivered. */
    static JsonNode awaitWebhook(String jobId, int attempts) {
        return Pipeline.awaitJob(jobId, j -> {
            List<JsonNode> a = webhookAttempts(j);
            return a.size() >= attempts && a.get(a.size() - 1).path("outcome").asText().equals("delivered");
        }, Duration.ofSeconds(90));
    }

    static List<JsonNode> webhookAttempts(JsonNode job) {
        List<JsonNode> out = new ArrayList<>();
        job.path("history").forEach(a -> {
            if (a.path("operation").asText().equals("webhook")) {
                out.add(a);
            }
        });
        return out;
    }

    /** The signing secret as the stack stores it (Secrets Manager), as an operator would read it. */
    static String secret() {
        AwsClients aws = stack().pipeline.context().getBean(AwsClients.class);
        return aws.secretsManager().getSecretValue(b -> b.secretId(
                stack().pipeline.config().notifications().webhookSecretArn())).secretString();
    }

    private static ObjectNode delivery(String name, String secret, Map<String, String> headers, String body) {
        ObjectNode d = NODES.objectNode().put("name", name).put("secret", secret).put("body", body);
        ObjectNode h = d.putObject("headers");
        headers.forEach(h::put);
        return d;
    }

    private static Map<String, String> with(Map<String, String> headers, String k1, String v1, String k2, String v2) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(k1, v1);
        h.put(k2, v2);
        return h;
    }

    private static void assertRefused(JsonNode result, String message) {
        assertFalse(result.path("ok").asBoolean(), "must be refused: " + result);
        assertEquals("WebhookVerificationError", result.path("error").path("type").asText(), result.toString());
        assertEquals(message, result.path("error").path("message").asText(), result.toString());
    }

    /** Runs webhook-verify.mjs on the deliveries; results by name. */
    static Map<String, JsonNode> verify(ArrayNode deliveries) throws Exception {
        Path file = Files.createTempFile(js, "deliveries-", ".json");
        Files.writeString(file, Json.write(deliveries));
        ApiJsClientTest.Result run = ApiJsClientTest.exec(List.of("node", "webhook-verify.mjs", file.toString()), js,
                Duration.ofMinutes(1));
        if (run.exit() != 0) {
            fail("node webhook-verify.mjs exited with " + run.exit() + ":\n" + run.output());
        }
        String last = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("webhook-verify.mjs printed no JSON:\n" + run.output()));
        JsonNode doc = Json.MAPPER.readTree(last);
        assertEquals("1.1.1", doc.path("libraryVersion").asText(), "the pinned standardwebhooks ran");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        doc.path("results").forEach(res -> byName.put(res.path("name").asText(), res));
        assertEquals(deliveries.size(), byName.size());
        return byName;
    }
}
