package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.service.ModelDeletion;
import io.voicedrop.e2e.SharedStack;
import io.voicedrop.local.LocalPipeline;
import io.voicedrop.testing.Jobs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker process killed between the upstream delete and the catalog erase; the redelivery finishes the erasure.
 *
 * <p>How the crash is made faithful: the deletion job is run by a separate JVM ({@link CrashingWorkerMain}) with the
 * real worker (its wiring, {@code WorkerHandler}, {@code BatchProcessor}, {@code JobRunner},
 * {@code DeletionRunner} and the DynamoDB/S3 adapters over the emulator, configured from the functions'
 * environment). Its upstream client is the real one, except that right after the upstream confirmed the delete it
 * calls {@link Runtime#halt}: the process stops at once, as under SIGKILL or a Lambda timeout: no catch block, no
 * finally block, no shutdown hook runs, and nothing more is written. What the stores hold afterwards is exactly what
 * a killed worker leaves: the model gone upstream, the catalog entry and the samples still there, the deletion job
 * {@code DELETING} under the dead worker's lease, the message unacknowledged. The test then checks that state and
 * hands the job to the shared pipeline's ordinary worker (the SQS redelivery), which must finish the erasure.
 */
class DeletionCrashTest {

    @Test
    void aWorkerKilledBetweenTheUpstreamDeleteAndTheCatalogEraseIsFinishedByTheRedelivery() throws Exception {
        LocalPipeline pipeline = SharedStack.pipeline();
        WorkerHarness h = new WorkerHarness(pipeline, SharedStack.simulator());
        Job create = h.newJob("crash during delete");
        h.runner().run(create.jobId(), Instant.now().plusSeconds(60));
        create = h.reload(create.jobId());
        assertEquals(JobStatus.SUCCEEDED, create.status());
        String modelId = create.modelId();
        String sampleKey = create.samples().get(0).key();
        String deletionId = ModelDeletion.deletionIdFor(create.jobId(), modelId);
        h.jobs.createIfAbsent(Jobs.deletion(deletionId, create.jobId(), modelId, null, Instant.now())
                .bucket(create.bucket()).build());
        int deletesBefore = h.simulator.deleteCalls();

        Process worker = startCrashingWorker(pipeline, deletionId);
        // Its invocation may wait for a slot of the deployment's upstream rate budget, which the earlier tests of this
        // JVM share: with 25 s left it handed the job back instead on a loaded machine, never crashing; it gets 60 s.
        assertTrue(worker.waitFor(180, TimeUnit.SECONDS), "the worker process did not end");
        String output = Files.readString(log);
        assertEquals(CrashingWorkerMain.KILLED, worker.exitValue(), "killed at the upstream delete:\n" + output);

        // What the dead worker left behind.
        assertFalse(h.simulator.model(modelId).isPresent(), "the upstream delete happened");
        assertEquals(deletesBefore + 1, h.simulator.deleteCalls());
        assertTrue(h.catalog.find(modelId).isPresent(), "the catalog erase did not");
        assertTrue(keyExists(pipeline, sampleKey), "nor the bucket erase");
        Job stranded = h.reload(deletionId);
        assertEquals(JobStatus.DELETING, stranded.status());
        assertTrue(stranded.leaseUntil() != null, "still leased by the dead worker");

        // The redelivery, by the pipeline's ordinary worker.
        pipeline.context().getBean(JobQueue.class).enqueue(deletionId, Duration.ZERO);
        // The redelivery takes the job over once the dead worker's lease (its invocation's deadline) has run out.
        Instant until = java.util.Collections.max(List.of(Instant.now().plusSeconds(90),
                stranded.leaseUntil().plusSeconds(60)));
        Job done = stranded;
        while (done.status() != JobStatus.DELETED && Instant.now().isBefore(until)) {
            Thread.sleep(200);
            done = h.reload(deletionId);
        }
        assertEquals(JobStatus.DELETED, done.status(), done.toString());
        assertTrue(h.catalog.find(modelId).isEmpty(), "catalog entry erased on redelivery");
        assertFalse(keyExists(pipeline, sampleKey), "samples erased on redelivery");
        assertEquals(JobStatus.DELETED, h.reload(create.jobId()).status(), "the create job is a tombstone");
        assertTrue(done.history().stream().anyMatch(a -> "delete".equals(a.operation())
                && Integer.valueOf(404).equals(a.httpStatus())), "the redelivery found the model already gone: "
                + done.history());
    }

    private Path log;

    private Process startCrashingWorker(LocalPipeline pipeline, String jobId) throws Exception {
        log = Files.createTempFile("crashing-worker-", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWorkerMain.class.getName(), jobId, "60")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        var c = pipeline.config();
        env.put("BUCKET_NAME", c.bucket());
        env.put("JOBS_TABLE", c.jobsTable());
        env.put("MODELS_TABLE", c.modelsTable());
        env.put("API_KEYS_TABLE", c.apiKeysTable());
        env.put("JOBS_QUEUE_URL", c.jobsQueueUrl());
        env.put("DEAD_LETTER_QUEUE_URL", c.deadLetterQueueUrl());
        env.put("FISH_BASE_URL", c.fishBaseUrl().toString());
        env.put("UPSTREAM_TIMEOUT_MS", "3000");
        env.put("AWS_REGION", c.region());
        env.put("AWS_ENDPOINT_URL", c.awsEndpoint().orElseThrow().toString());
        env.put("SIM_TOKEN", SharedStack.simulator().token());
        return pb.directory(new File(".")).start();
    }

    private static boolean keyExists(LocalPipeline pipeline, String key) {
        return !pipeline.s3().listObjectVersions(b -> b.bucket(pipeline.bucket()).prefix(key)).versions().isEmpty();
    }
}
