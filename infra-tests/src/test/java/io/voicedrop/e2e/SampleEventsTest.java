package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.local.LocalPipeline;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The sample events under {@code events/} (the ones {@code sam local invoke -e} uses) go through the real handlers
 * of the running local pipeline, deserialized by Lambda's own event serializer exactly as the Java runtime does.
 * The files stay as AWS sends them; only this test rewrites, in memory, what must point at the local stack (bucket
 * name, object version/ETag, job id, API key).
 */
class SampleEventsTest {

    private static final Path EVENTS = TestStack.templatePath().getParent().resolve("events");

    @Test
    void s3PutEventUnderIncomingCreatesAJob() throws IOException {
        LocalPipeline p = TestStack.get().pipeline;
        JsonNode event = read("s3-put-incoming.json");
        JsonNode object = event.path("Records").get(0).path("s3").path("object");
        String encodedKey = object.path("key").asText();
        assertTrue(encodedKey.contains("+"), "the sample key must show S3's form encoding of a space: " + encodedKey);
        String key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
        assertTrue(key.startsWith("incoming/") && key.contains(" "), key);

        byte[] audio = Pipeline.speech(31);
        PutObjectResponse put = p.s3().putObject(b -> b.bucket(p.bucket()).key(key), RequestBody.fromBytes(audio));
        ObjectNode s3 = (ObjectNode) event.path("Records").get(0).path("s3");
        ((ObjectNode) s3.path("bucket")).put("name", p.bucket()).put("arn", "arn:aws:s3:::" + p.bucket());
        ObjectNode o = (ObjectNode) s3.path("object");
        o.put("size", audio.length).put("eTag", put.eTag().replace("\"", ""));
        if (put.versionId() != null) {
            o.put("versionId", put.versionId());
        } else {
            o.remove("versionId");
        }

        List<IngestResult> results = p.ingestHandler().handleRequest(deserialize(event, S3Event.class), null);

        String expectedJob = UploadIngestor.jobIdFor(new UploadedObject(p.bucket(), key, put.versionId(), put.eTag(),
                audio.length));
        assertEquals(1, results.size(), results.toString());
        IngestResult r = results.get(0);
        assertEquals(key, r.key(), "the handler must decode '+' to a space");
        assertEquals(expectedJob, r.jobId(), r.toString());
        assertNotEquals("REJECTED", String.valueOf(r.status()), r.toString());
        // The upload also reached ingest through the bucket notification, so this delivery may be the duplicate.
        assertTrue(p.context().getBean(JobStore.class).find(expectedJob).isPresent(), "no job " + expectedJob);
        // Let the job finish, so that no work of this test is still running when the next test class starts.
        JsonNode job = Pipeline.awaitTerminal(expectedJob);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
    }

    @Test
    void s3TestEventIsANoOp() throws IOException {
        JsonNode event = read("s3-test-event.json");
        assertEquals("s3:TestEvent", event.path("Event").asText());
        List<IngestResult> results = TestStack.get().pipeline.ingestHandler()
                .handleRequest(deserialize(event, S3Event.class), null);
        assertTrue(results.isEmpty(), results.toString());
    }

    @Test
    void sqsMessageForAnUnknownJobGoesToTheDeadLetterQueue() throws IOException {
        LocalPipeline p = TestStack.get().pipeline;
        JsonNode event = read("sqs-job-message.json");
        ObjectNode record = (ObjectNode) event.path("Records").get(0);
        assertTrue(JobMessage.jobIdOf(record.path("body").asText()).isPresent(), "the sample must be a job message");
        String unknownJob = UUID.randomUUID().toString();
        record.put("body", JobMessage.bodyFor(unknownJob));
        record.put("md5OfBody", md5(JobMessage.bodyFor(unknownJob)));

        SQSBatchResponse response = p.workerHandler().handleRequest(deserialize(event, SQSEvent.class), null);

        assertTrue(response.getBatchItemFailures().isEmpty(),
                "a dead-lettered message is acknowledged, not retried: " + response.getBatchItemFailures());
        assertTrue(deadLetterQueueHolds(p, JobMessage.bodyFor(unknownJob), Duration.ofSeconds(10)),
                "the message for job " + unknownJob + " is not in the dead-letter queue");
    }

    @Test
    void apiEventAnswersAsItsAuthorizationHeaderDictates() throws IOException {
        TestStack stack = TestStack.get();
        JsonNode event = read("api-list-models.json");
        assertTrue(event.path("headers").path("authorization").asText().startsWith("Bearer "));

        // As stored: its key was never issued on this stack.
        APIGatewayV2HTTPResponse unknownKey = invokeApi(event);
        assertEquals(401, unknownKey.getStatusCode(), unknownKey.getBody());
        assertEquals("invalid_token", Json.MAPPER.readTree(unknownKey.getBody()).path("error").path("code").asText());

        JsonNode issued = event.deepCopy();
        ((ObjectNode) issued.path("headers")).put("authorization", "Bearer " + stack.apiToken);
        APIGatewayV2HTTPResponse ok = invokeApi(issued);
        assertEquals(200, ok.getStatusCode(), ok.getBody());
        JsonNode page = Json.MAPPER.readTree(ok.getBody());
        assertTrue(page.path("items").isArray(), ok.getBody());
        assertTrue(page.path("total").isIntegralNumber(), ok.getBody());

        JsonNode anonymous = event.deepCopy();
        ((ObjectNode) anonymous.path("headers")).remove("authorization");
        assertEquals(401, invokeApi(anonymous).getStatusCode());
    }

    /**
     * The notify functions' samples, read as their handlers read them (the stream images as jobs, the message as a
     * delivery). ArtifactScopeTest sends both, pointed at its own job, through the real functions.
     */
    @Test
    void streamAndWebhookSamplesCarryAJobChangeAndADelivery() throws IOException {
        DynamodbEvent stream = deserialize(read("dynamodb-stream-job-succeeded.json"), DynamodbEvent.class);
        var change = stream.getRecords().get(0).getDynamodb();
        Job before = Json.read(change.getOldImage().get("body").getS(), Job.class);
        Job after = Json.read(change.getNewImage().get("body").getS(), Job.class);
        assertEquals(before.jobId(), change.getKeys().get("jobId").getS());
        assertEquals(List.of(JobStatus.RUNNING, JobStatus.SUCCEEDED), List.of(before.status(), after.status()));
        assertTrue(after.options().hasCallback(), "the sample's job asks for a webhook");
        assertEquals(Long.toString(after.version()), change.getNewImage().get("version").getN());

        SQSEvent webhooks = deserialize(read("sqs-webhook-delivery.json"), SQSEvent.class);
        SQSEvent.SQSMessage message = webhooks.getRecords().get(0);
        WebhookDelivery delivery = SqsWebhookQueue.deliveryOf(message.getBody()).orElseThrow();
        assertEquals(after.jobId(), delivery.jobId());
        assertEquals(md5(message.getBody()), message.getMd5OfBody());
    }

    private static APIGatewayV2HTTPResponse invokeApi(JsonNode event) {
        return TestStack.get().pipeline.apiHandler().handleRequest(deserialize(event, APIGatewayV2HTTPEvent.class),
                new SampleContext("ApiFunction"));
    }

    private static JsonNode read(String name) throws IOException {
        return Json.MAPPER.readTree(Files.readString(EVENTS.resolve(name)));
    }

    /** Exactly what the Lambda Java runtime does with the invocation payload. */
    private static <T> T deserialize(JsonNode event, Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, SampleEventsTest.class.getClassLoader()).fromJson(event.toString());
    }

    private static boolean deadLetterQueueHolds(LocalPipeline p, String body, Duration timeout) {
        String dlq = p.config().deadLetterQueueUrl();
        assertFalse(dlq.isEmpty(), "the pipeline has no dead-letter queue configured");
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            // Visibility 0: peek without hiding messages from any other test that reads the queue.
            List<Message> messages = p.sqs().receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)
                    .visibilityTimeout(0).waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                if (m.body().equals(body)) {
                    p.sqs().deleteMessage(b -> b.queueUrl(dlq).receiptHandle(m.receiptHandle()));
                    return true;
                }
            }
        }
        return false;
    }

    private static String md5(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal Lambda context for a direct handler call. */
    private record SampleContext(String functionName) implements Context {
        @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
        @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        @Override public String getLogStreamName() { return "sample-events"; }
        @Override public String getFunctionName() { return functionName; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 29_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.println(message); }
                public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
