package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.awaitJob;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.ops.OpsCommand;
import io.voicedrop.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The documented operator commands, run against the live local pipeline. */
class OperatorCommandsTest {

    private final OpsCommand ops = new OpsCommand(stack().pipeline.context());
    private final UpstreamPause pause = stack().pipeline.context().getBean(UpstreamPause.class);

    @AfterEach
    void unpause() {
        pause.resume();
    }

    @Test
    void resumeLiftsAPauseAndTheWaitingJobsRunAtOnce() {
        pause.pause("used_up", "balance used up", Instant.now().plus(Duration.ofMinutes(10)));
        assertTrue(ops.run("status").startsWith("PAUSED"), ops.run("status"));
        String jobId = upload("incoming/ops-waits for resume.wav", speech(31));
        awaitJob(jobId, j -> j.path("status").asText().equals("QUEUED"), Duration.ofSeconds(30));
        Pipeline.sleep(1500);
        assertEquals("QUEUED", Pipeline.json(Pipeline.get("/jobs/" + jobId)).path("status").asText(), "held while paused");

        assertTrue(ops.run("resume").startsWith("resumed"));
        assertEquals("SUCCEEDED", awaitTerminal(jobId).path("status").asText());
        assertTrue(ops.run("status").startsWith("RUNNING"));
    }

    @Test
    void replayPutsDeadLetteredJobsBackAndKeepsWhatItCannotUse() {
        var pipeline = stack().pipeline;
        String key = "incoming/ops-replayed/" + UUID.randomUUID() + ".wav";
        byte[] audio = DemoAudio.wav(Duration.ofSeconds(2), 16_000, 1, 3);
        pipeline.s3().putObject(b -> b.bucket(pipeline.bucket()).key(key), RequestBody.fromBytes(audio));
        Job job = Jobs.queued(UUID.randomUUID().toString(), Instant.now()).bucket(pipeline.bucket())
                .sourceKeys(List.of(key)).samples(List.of(new Sample(key, null, audio.length, null)))
                .spec(ModelSpec.titled("replayed")).build();
        pipeline.context().getBean(JobStore.class).createIfAbsent(job);
        SqsClient sqs = pipeline.sqs();
        String dlq = pipeline.config().deadLetterQueueUrl();
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(JobMessage.bodyFor(job.jobId())));
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("not a job message"));

        String report = ops.run("replay-dead-letters");
        assertTrue(report.matches(".*jobs requeued: [1-9].*"), report);
        // The garbage message (and any unknown job another test dead-lettered) stays for a human to look at.
        assertTrue(report.matches(".*left in the dead-letter queue: [1-9].*"), report);
        assertEquals("SUCCEEDED", awaitTerminal(job.jobId()).path("status").asText());
    }

    @Test
    void deleteModelDeletesAnyOwnersVoiceAndSaysSo() {
        var created = ApiCalls.createMultipart(stack().apiToken, "ops delete " + UUID.randomUUID(), List.of(),
                speech(12));
        assertEquals(201, created.statusCode(), created.body());
        String modelId = Pipeline.json(created).path("_id").asText();
        String jobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();

        String out = ops.run("delete-model", modelId);
        assertTrue(out.startsWith("deleted: model " + modelId + " (job " + jobId + ")"), out);
        assertFalse(stack().simulator.model(modelId).isPresent(), "gone upstream");
        assertEquals(404, Pipeline.get("/fish/model/" + modelId).statusCode());
        assertEquals(List.of(), Lifecycle.versionsUnder("uploads/" + jobId + "/"));
        io.voicedrop.core.model.Job tomb = stack().pipeline.context().getBean(JobStore.class).find(jobId).orElseThrow();
        assertTrue(tomb.history().get(tomb.history().size() - 1).message().contains("an operator"), tomb.toString());
        assertEquals("no model or job no-such-" + jobId, ops.run("delete-model", "no-such-" + jobId));
        assertThrows(IllegalArgumentException.class, () -> ops.run("delete-model", "../jobs"));
    }

    /** A folder sent twice (two manifests, two jobs): erase-upload deletes both voices, then every object of it. */
    @Test
    void eraseUploadDeletesEveryVoiceOfTheUploadThenEveryVersionOfItsFiles() {
        String folder = "incoming/ops erase " + UUID.randomUUID().toString().substring(0, 8) + "/";
        upload(folder + "take.wav", speech(31));
        upload(folder + "unlisted.txt", "not a sample".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String first = upload(folder + "model.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String firstModel = awaitTerminal(first).path("model_id").asText();
        String second = upload(folder + "model.json", "{\"tags\":[\"again\"]}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        String secondModel = awaitTerminal(second).path("model_id").asText();

        String out = ops.run("erase-upload", folder);
        assertTrue(out.contains("deleted: model " + firstModel) && out.contains("deleted: model " + secondModel), out);
        assertTrue(out.matches("(?s).*object versions erased: [1-9][0-9]*$"), out);
        for (String model : List.of(firstModel, secondModel)) {
            assertFalse(stack().simulator.model(model).isPresent(), model);
            assertEquals(404, Pipeline.get("/fish/model/" + model).statusCode());
        }
        assertEquals(List.of(), Lifecycle.versionsUnder(folder), "every version of every file, listed or not");
        assertEquals(List.of(), Lifecycle.versionsUnder("status/" + folder.substring("incoming/".length())),
                "and the status reports");
        assertEquals("DELETED", Lifecycle.job(first).path("status").asText());
        assertEquals("DELETED", Lifecycle.job(second).path("status").asText());
    }
}
