package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.local.JobEventTap;
import io.voicedrop.testing.Jobs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Job state-change events as a subscriber receives them: an EventBridge rule on the deployment's bus with an SQS
 * queue as target ({@link JobEventTap}), in the emulator. Every event received is validated against the published
 * schema, {@code docs/job-state-change.schema.json}.
 */
class JobEventsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static JobEventTap tap;
    private static JsonSchema schema;

    @BeforeAll
    static void subscribe() throws IOException {
        tap = stack().pipeline.subscribeToJobEvents();
        JsonNode doc = Json.MAPPER.readTree(schemaPath().toFile());
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(doc);
    }

    @AfterAll
    static void unsubscribe() {
        tap.close();
    }

    @Test
    void aSuccessfulUploadAnnouncesEachStatusOnceInOrder() {
        String key = "incoming/events " + RUN + " ok.wav";
        String jobId = Pipeline.upload(key, speech(31));
        assertEquals("SUCCEEDED", Pipeline.awaitTerminal(jobId).path("status").asText());
        List<JsonNode> events = tap.await(jobId, e -> statuses(e).contains("SUCCEEDED"), WAIT);
        Pipeline.sleep(1500); // anything published late (a duplicate) would arrive meanwhile
        events = tap.eventsOf(jobId);

        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), statuses(events), "each status once: " + events);
        events.forEach(JobEventsTest::assertValid);
        JsonNode first = events.get(0).path("detail");
        assertTrue(first.path("previous_status").isNull());
        assertEquals("RUNNING", events.get(2).path("detail").path("previous_status").asText());
        JsonNode done = events.get(2).path("detail");
        assertTrue(done.path("terminal").asBoolean());
        assertFalse(done.path("model_id").asText().isEmpty());
        assertEquals(stack().pipeline.bucket(), done.path("upload").path("bucket").asText());
        assertEquals(key, done.path("upload").path("key").asText());
        assertTrue(done.path("upload").path("folder").isNull());
        assertEquals("bucket", done.path("upload").path("origin").asText());
        assertEquals("events " + RUN + " ok", done.path("title").asText());
        assertEquals(1, done.path("attempts").asInt());
        assertTrue(done.path("error").isNull());
        assertEquals(3, events.stream().map(e -> e.path("detail").path("event_id").asText()).distinct().count());
    }

    @Test
    void aRejectedUploadAnnouncesItsReasons() {
        String key = "incoming/events " + RUN + " not audio.wav";
        String jobId = Pipeline.upload(key, "this is not audio".getBytes(StandardCharsets.UTF_8));
        List<JsonNode> events = tap.await(jobId, e -> !e.isEmpty(), WAIT);
        Pipeline.sleep(500);
        events = tap.eventsOf(jobId);
        assertEquals(List.of("REJECTED"), statuses(events));
        events.forEach(JobEventsTest::assertValid);
        JsonNode d = events.get(0).path("detail");
        assertTrue(d.path("terminal").asBoolean());
        assertTrue(d.path("previous_status").isNull());
        assertTrue(d.path("reasons").size() >= 1, d.toString());
        assertEquals("rejected", d.path("error").path("code").asText());
        assertTrue(d.path("model_id").isNull());
    }

    @Test
    void aFailedCreateAnnouncesTheUpstreamError() {
        stack().simulator.failNextCreates(1, 422);
        String jobId = Pipeline.upload("incoming/events " + RUN + " refused.wav", speech(31));
        assertEquals("FAILED", Pipeline.awaitTerminal(jobId).path("status").asText());
        List<JsonNode> events = tap.await(jobId, e -> statuses(e).contains("FAILED"), WAIT);
        assertEquals(List.of("QUEUED", "RUNNING", "FAILED"), statuses(events));
        events.forEach(JobEventsTest::assertValid);
        JsonNode d = events.get(2).path("detail");
        assertEquals(422, d.path("error").path("http_status").asInt(), d.toString());
        assertTrue(d.path("terminal").asBoolean());
    }

    /**
     * Deleting a voice is a job too: the deletion announces {@code DELETING} then {@code DELETED}, and the create job
     * announces its tombstone ({@code SUCCEEDED} to {@code DELETED}) without naming the recordings any more.
     */
    @Test
    void aDeleteAnnouncesTheDeletionJobAndTheCreateJobsTombstone() {
        String key = "incoming/events " + RUN + " deleted.wav";
        String jobId = Pipeline.upload(key, speech(31));
        String modelId = Pipeline.awaitTerminal(jobId).path("model_id").asText();
        var r = Lifecycle.delete(stack().apiToken, modelId);
        assertEquals(200, r.statusCode(), r.body());
        String deletionId = r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();

        List<JsonNode> deletion = tap.await(deletionId, e -> statuses(e).contains("DELETED"), WAIT);
        List<JsonNode> create = tap.await(jobId, e -> statuses(e).contains("DELETED"), WAIT);
        Pipeline.sleep(1500);
        deletion = tap.eventsOf(deletionId);
        create = tap.eventsOf(jobId);
        assertEquals(List.of("DELETING", "DELETED"), statuses(deletion), "each status once: " + deletion);
        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED", "DELETED"), statuses(create), create.toString());
        deletion.forEach(JobEventsTest::assertValid);
        create.forEach(JobEventsTest::assertValid);
        JsonNode deleted = deletion.get(1).path("detail");
        assertEquals("DELETING", deleted.path("previous_status").asText());
        assertTrue(deleted.path("terminal").asBoolean());
        assertEquals(modelId, deleted.path("model_id").asText());
        JsonNode tomb = create.get(3).path("detail");
        assertEquals("SUCCEEDED", tomb.path("previous_status").asText());
        assertTrue(tomb.path("terminal").asBoolean());
        assertEquals(modelId, tomb.path("model_id").asText(), "the tombstone says which model existed");
        assertEquals("", tomb.path("title").asText());
        assertTrue(tomb.path("upload").path("key").isNull(), "no key names the recordings: " + tomb);
        assertFalse(tomb.toString().contains(RUN), "nothing of the upload's name is announced: " + tomb);
    }

    /**
     * A function that dies right after its write announces nothing itself: the event comes from the table's stream.
     * Here the "worker" writes a new status and is gone; the event is published anyway, once.
     */
    @Test
    void aWriterThatDiesAfterItsWriteStillGetsItsEventPublished() {
        JobStore jobs = stack().pipeline.context().getBean(JobStore.class);
        String jobId = "events-crash-" + RUN;
        Instant now = Instant.now();
        Job job = Jobs.queued(jobId, now).bucket(stack().pipeline.bucket())
                .sourceKeys(List.of("incoming/gone-" + RUN + ".wav")).samples(List.of()).spec(ModelSpec.titled("gone"))
                .build();
        jobs.createIfAbsent(job);
        Job stored = jobs.find(jobId).orElseThrow();
        jobs.update(stored.withStatus(JobStatus.FAILED, now)); // ...and the writer's process ends here
        List<JsonNode> events = tap.await(jobId, e -> statuses(e).contains("FAILED"), WAIT);
        Pipeline.sleep(500);
        assertEquals(List.of("QUEUED", "FAILED"), statuses(tap.eventsOf(jobId)));
        events.forEach(JobEventsTest::assertValid);
    }

    /** Writes that change no status (history, leases, webhook attempts) announce nothing. */
    @Test
    void aWriteThatKeepsTheStatusAnnouncesNothing() {
        JobStore jobs = stack().pipeline.context().getBean(JobStore.class);
        String jobId = "events-same-" + RUN;
        Instant now = Instant.now();
        jobs.createIfAbsent(Jobs.queued(jobId, now).bucket(stack().pipeline.bucket())
                .sourceKeys(List.of("incoming/same-" + RUN + ".wav")).samples(List.of()).spec(ModelSpec.titled("same"))
                .build());
        Job stored = jobs.find(jobId).orElseThrow();
        stored = jobs.update(stored.withWarning("a note"));
        jobs.update(stored.enqueued(now));
        tap.await(jobId, e -> !e.isEmpty(), WAIT);
        Pipeline.sleep(1500);
        assertEquals(List.of("QUEUED"), statuses(tap.eventsOf(jobId)));
    }

    static List<String> statuses(List<JsonNode> events) {
        return events.stream().map(e -> e.path("detail").path("status").asText()).toList();
    }

    static void assertValid(JsonNode event) {
        java.util.Set<ValidationMessage> errors = schema.validate(event);
        assertTrue(errors.isEmpty(), "event does not match docs/job-state-change.schema.json: " + errors + "\n" + event);
        assertEquals("voicedrop", event.path("source").asText());
        assertEquals("VoiceDrop Job State Change", event.path("detail-type").asText());
    }

    static Path schemaPath() {
        return TestStack.templatePath().getParent().resolve("docs/job-state-change.schema.json");
    }
}
