package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Shared checks of the ingest tests: what a rejection must look like everywhere the user can see it. */
final class IngestAssertions {

    /** Unique per test JVM, so keys (and so job ids) never collide with an earlier run on a reused endpoint. */
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    private IngestAssertions() {
    }

    static String put(String key, byte[] bytes) {
        TestStack s = stack();
        s.pipeline.s3().putObject(b -> b.bucket(s.pipeline.bucket()).key(key), RequestBody.fromBytes(bytes));
        return key;
    }

    static String uploadText(String key, String text) {
        return Pipeline.upload(key, text.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Job> storedJob(String jobId) {
        return stack().pipeline.context().getBean(JobStore.class).find(jobId);
    }

    /**
     * The upload was refused before billing: REJECTED in the API with every expected reason, the same in the
     * status report, never enqueued and never sent upstream.
     */
    static JsonNode assertRejected(String jobId, String reportSourceKey, String... reasonParts) {
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("REJECTED", job.path("status").asText(), job.toString());
        assertEquals("rejected", job.path("error").path("code").asText(), job.toString());
        String message = job.path("error").path("message").asText();
        Job stored = storedJob(jobId).orElseThrow();
        for (String part : reasonParts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
            assertTrue(stored.reasons().stream().anyMatch(r -> r.contains(part)), "no reason with '" + part + "' in "
                    + stored.reasons());
        }
        JsonNode report = Pipeline.awaitReport(reportSourceKey, r -> jobId.equals(r.path("job_id").asText()),
                Duration.ofSeconds(10));
        assertEquals("REJECTED", report.path("status").asText(), report.toString());
        assertEquals(message, report.path("error").path("message").asText());
        assertNeverBilled(jobId);
        return job;
    }

    static void assertNeverBilled(String jobId) {
        Pipeline.sleep(1000); // time for a wrongly enqueued message to reach the worker and upstream
        Job stored = storedJob(jobId).orElseThrow();
        assertNull(stored.enqueuedAt(), "a rejected job must never be enqueued");
        assertTrue(stored.samples().isEmpty());
        assertEquals(0, Pipeline.createCallsFor(jobId), "a rejected job must never reach upstream");
    }

    /** The notification S3 sends for an existing object, to deliver it again as S3 may. */
    static S3Event createdEvent(String key) {
        TestStack s = stack();
        HeadObjectResponse head = s.pipeline.s3().headObject(b -> b.bucket(s.pipeline.bucket()).key(key));
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String json = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-27T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"userIdentity\":{\"principalId\":\"local\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{},\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"local\","
                + "\"bucket\":{\"name\":\"" + s.pipeline.bucket() + "\",\"ownerIdentity\":{\"principalId\":\"local\"},"
                + "\"arn\":\"arn:aws:s3:::" + s.pipeline.bucket() + "\"},"
                + "\"object\":{\"key\":\"" + encoded + "\",\"size\":" + head.contentLength() + ",\"eTag\":\""
                + head.eTag().replace("\"", "") + "\",\"versionId\":\"" + head.versionId()
                + "\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
        return event(json);
    }

    static S3Event event(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, IngestAssertions.class.getClassLoader()).fromJson(json);
    }
}
