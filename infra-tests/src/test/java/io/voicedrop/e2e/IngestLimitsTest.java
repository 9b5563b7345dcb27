package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.local.DemoAudio;
import io.voicedrop.local.LocalOptions;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.sim.FishSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The configured limits, on a pipeline and simulator of its own (the shared pipeline keeps the template's
 * defaults, and other tests change the shared simulator's faults and tokens): tiny limits through the same
 * environment variables a deployment sets.
 */
class IngestLimitsTest {

    private static FishSimulator sim;
    private static LocalPipeline small;

    @BeforeAll
    static void start() {
        sim = FishSimulator.start();
        small = LocalPipeline.start(new LocalOptions(null, sim.baseUrl(), sim.token(), 0, 1, TestStack.templatePath(),
                Map.of(), Map.of("MAX_SAMPLE_BYTES", "200000", "MAX_SAMPLES_PER_MODEL", "3",
                        "MAX_TOTAL_DURATION_SECONDS", "20", "TRAINING_POLL_SECONDS", "1")));
    }

    @AfterAll
    static void stop() {
        if (small != null) {
            small.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static String upload(String key, byte[] bytes) {
        PutObjectResponse r = small.s3().putObject(b -> b.bucket(small.bucket()).key(key), RequestBody.fromBytes(bytes));
        return UploadIngestor.jobIdFor(new UploadedObject(small.bucket(), key, r.versionId(), r.eTag(), bytes.length));
    }

    private static byte[] wav8k(int seconds) {
        return DemoAudio.wav(Duration.ofSeconds(seconds), 8_000, 1, seconds);
    }

    private static Job awaitTerminal(String jobId) {
        JobStore jobs = small.context().getBean(JobStore.class);
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            Job job = jobs.find(jobId).orElse(null);
            if (job != null && job.status().isTerminal()) {
                return job;
            }
            Pipeline.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not finish: " + jobs.find(jobId));
    }

    private static void assertRejected(String jobId, String reportSourceKey, String reason) throws Exception {
        Job job = awaitTerminal(jobId);
        assertEquals(JobStatus.REJECTED, job.status(), job.toString());
        assertTrue(job.reasons().stream().anyMatch(r -> r.contains(reason)), job.reasons().toString());
        // Ingest writes the job first and its status report right after: the report may lag the job a moment.
        JsonNode report = Pipeline.awaitReport(small, reportSourceKey, r -> true, Duration.ofSeconds(10));
        assertEquals("REJECTED", report.path("status").asText());
        assertTrue(report.path("error").path("message").asText().contains(reason), report.toString());
        Pipeline.sleep(1000);
        assertNull(small.context().getBean(JobStore.class).find(jobId).orElseThrow().enqueuedAt());
        assertEquals(0, Pipeline.createCallsFor(sim, jobId));
    }

    @Test
    void aSampleOverTheSizeLimitIsRejectedUnread() throws Exception {
        String key = "incoming/too big.wav";
        assertRejected(upload(key, DemoAudio.wav(Duration.ofSeconds(8), 16_000, 1, 1)), key,
                "too big.wav: 256044 bytes is over the limit of 200000 bytes per sample");
    }

    @Test
    void moreSamplesThanTheLimitAreRejected() throws Exception {
        for (int i = 0; i < 4; i++) {
            upload("incoming/four/s" + i + ".wav", wav8k(1));
        }
        String manifest = "incoming/four/model.json";
        assertRejected(upload(manifest, "{}".getBytes(StandardCharsets.UTF_8)), manifest,
                "too many samples: 4 audio files in the folder, the limit is 3 per model");
    }

    @Test
    void aTotalDurationOverTheLimitIsRejected() throws Exception {
        for (int i = 0; i < 3; i++) {
            upload("incoming/long/s" + i + ".wav", wav8k(8));
        }
        String manifest = "incoming/long/model.json";
        assertRejected(upload(manifest, "{}".getBytes(StandardCharsets.UTF_8)), manifest,
                "total duration 24.0 s is over the limit of 20.0 s per model");
    }

    @Test
    void uploadsWithinTheLimitsGoThrough() {
        upload("incoming/fits/a.wav", wav8k(8));
        upload("incoming/fits/b.wav", wav8k(8));
        String jobId = upload("incoming/fits/model.json", "{\"title\": \"Fits\"}".getBytes(StandardCharsets.UTF_8));
        Job job = awaitTerminal(jobId);
        assertEquals(JobStatus.SUCCEEDED, job.status(), job.toString());
        assertEquals(1, Pipeline.createCallsFor(sim, jobId));
    }
}
