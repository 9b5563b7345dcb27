package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.awaitJob;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.sim.FishSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker against an unreliable upstream, through the whole running pipeline (S3 → ingest → queue → worker). */
class UpstreamFaultTest {

    private final FishSimulator sim = stack().simulator;

    @AfterEach
    void restore() {
        sim.setRetryAfterHeader(true);
        sim.update(s -> s.initialState("trained").trainAfterPolls(0));
        stack().pipeline.context().getBean(UpstreamPause.class).resume();
    }

    private long modelsFor(String jobId) {
        return sim.models().stream().filter(m -> m.tags().contains(JobRunner.markerTag(jobId))).count();
    }

    @Test
    void rateLimitsWithoutRetryAfterAreRetriedWithBackoff() {
        sim.setRetryAfterHeader(false);
        sim.failNextCreates(2, 429);
        String jobId = upload("incoming/faults-429 no header.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(3, job.path("attempts").asInt());
        assertEquals(1, modelsFor(jobId));
    }

    @Test
    void aServerErrorStormEndsInOneModelOnceUpstreamRecovers() {
        sim.failNextCreates(2, 500);
        sim.failNextCreates(1, 502);
        sim.failNextCreates(1, 503);
        String jobId = upload("incoming/faults-storm.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(5, job.path("history").size(), job.path("history").toString());
        assertEquals(1, modelsFor(jobId));
    }

    @Test
    void aValidationErrorFailsAtOnceWithUpstreamsWords() {
        sim.failNextCreates(1, 422, "[{\"loc\":[\"body\",\"voices\"],\"type\":\"value_error\",\"msg\":\"audio too short\"}]");
        String jobId = upload("incoming/faults-invalid.wav", speech(31));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("FAILED", job.path("status").asText());
        assertEquals("body.voices: audio too short", job.path("error").path("message").asText());
        assertEquals(1, job.path("attempts").asInt());
        assertEquals(0, modelsFor(jobId));
    }

    @Test
    void aBadTokenPausesProcessingWithoutFailingJobsAndAProbeResumesIt() {
        sim.failNextCreates(1, 401);
        String first = upload("incoming/faults-paused first.wav", speech(31));
        JsonNode paused = awaitJob(first, j -> j.path("status").asText().equals("RETRY_WAIT"), Duration.ofSeconds(30));
        assertEquals("invalid_token", paused.path("error").path("code").asText());
        assertTrue(stack().pipeline.context().getBean(UpstreamPause.class).current().isPresent(), "deployment paused");

        String second = upload("incoming/faults-paused second.wav", speech(31));
        // Both end well once the (scripted, one-off) token problem is gone: the probe finds upstream healthy.
        assertEquals("SUCCEEDED", awaitTerminal(first).path("status").asText());
        assertEquals("SUCCEEDED", awaitTerminal(second).path("status").asText());
        assertEquals(1, modelsFor(first));
        assertEquals(1, modelsFor(second));
        assertTrue(stack().pipeline.context().getBean(UpstreamPause.class).current().isEmpty(), "pause lifted");
    }

    @Test
    void noBalancePausesEveryJobUntilAnOperatorResumes() {
        sim.failNextCreates(3, 403, "{\"success\":false,\"error\":{\"code\":\"used_up\",\"message\":\"balance used up\"},"
                + "\"trace_id\":\"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"}");
        int callsBefore = sim.createCalls();
        String jobId = upload("incoming/faults-no balance.wav", speech(31));
        JsonNode paused = awaitJob(jobId, j -> j.path("status").asText().equals("RETRY_WAIT"), Duration.ofSeconds(30));
        assertEquals("used_up", paused.path("error").path("code").asText());
        assertEquals("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", paused.path("error").path("trace_id").asText());
        Pipeline.sleep(3000);
        // While paused only the periodic probe reaches upstream, never a burst of retries.
        assertTrue(sim.createCalls() - callsBefore <= 3, "calls while paused: " + (sim.createCalls() - callsBefore));
        assertEquals(0, modelsFor(jobId));
        while (sim.pendingScriptedCreates() > 0) {
            Pipeline.sleep(200); // let the probes use up the scripted failures: the balance is "topped up" after them
        }
        assertEquals("SUCCEEDED", awaitTerminal(jobId).path("status").asText());
        assertEquals(1, modelsFor(jobId));
    }

    @Test
    void theSameJobEnqueuedTwiceCreatesOneModel() {
        String jobId = upload("incoming/faults-enqueued twice.wav", speech(31));
        JobQueue queue = stack().pipeline.context().getBean(JobQueue.class);
        queue.enqueue(jobId, Duration.ZERO);
        queue.enqueue(jobId, Duration.ZERO);
        assertEquals("SUCCEEDED", awaitTerminal(jobId).path("status").asText());
        Pipeline.sleep(1500);
        assertEquals(1, modelsFor(jobId));
    }

    @Test
    void aModelStillTrainingIsFollowedUntilTrained() {
        sim.update(s -> s.initialState("training").trainAfterPolls(2));
        String jobId = upload("incoming/faults-slow training.wav", speech(31));
        JsonNode training = awaitJob(jobId, j -> j.path("status").asText().equals("TRAINING"), Duration.ofSeconds(30));
        assertTrue(training.path("model_id").asText().length() > 0);
        JsonNode done = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        assertEquals("trained", Pipeline.json(Pipeline.get("/fish/model/" + done.path("model_id").asText())).path("state").asText());
        assertEquals(1, modelsFor(jobId));
    }
}
