package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.awaitJob;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.ops.OpsCommand;
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
        Job job = Job.queued(UUID.randomUUID().toString(), pipeline.bucket(), List.of(key),
                List.of(new Sample(key, null, audio.length, null)), ModelSpec.titled("replayed"), List.of(), Instant.now());
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
}
