package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.service.SampleRetention;
import io.voicedrop.testing.Jobs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * How long samples stay in the bucket (data minimisation), against the emulator's S3: an upload that asks for it
 * ({@code remove_samples_when_trained}, in {@code model.json} or {@code POST /fish/model}) has every version of its
 * samples erased once the model is trained, and the model still works; with a retention period, a job that ends has
 * each of its objects (the exact versions) tagged for the template's lifecycle rule, keeping the uploader's own
 * tags; with {@code keep}, nothing is tagged.
 */
class SampleRetentionTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static S3Client s3() {
        return stack().pipeline.s3();
    }

    private static String bucket() {
        return stack().pipeline.bucket();
    }

    @Test
    void aManifestAskingForItRemovesTheSamplesOnceTrainedAndTheModelStays() {
        String folder = "incoming/retention " + RUN + "/";
        Pipeline.upload(folder + "take.wav", speech(31));
        String jobId = Pipeline.upload(folder + "model.json",
                "{\"remove_samples_when_trained\": true}".getBytes(StandardCharsets.UTF_8));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode done = Pipeline.awaitJob(jobId, j -> outcomes(j).contains("samples_removed"), Duration.ofSeconds(20));
        assertEquals(List.of(), Lifecycle.versionsUnder(folder + "take.wav"), "every version of the sample is gone");
        assertEquals(1, Lifecycle.versionsUnder(folder + "model.json").size(), "the manifest is not a sample");
        String modelId = done.path("model_id").asText();
        assertEquals(200, Pipeline.get("/fish/model/" + modelId).statusCode(), "the model is still served");
        assertTrue(stack().simulator.model(modelId).isPresent(), "and still upstream");
    }

    @Test
    void anApiCreateAskingForItRemovesItsCopiesOnceTrained() {
        ApiCalls.Form form = new ApiCalls.Form().field("title", "retention api " + RUN)
                .field("remove_samples_when_trained", "true")
                .file("voices", "voice.wav", "audio/wav", speech(12));
        HttpResponse<String> created = ApiCalls.send("POST", "/fish/model", ApiCalls.bearer(stack().apiToken),
                form.contentType(), form.bytes());
        assertEquals(201, created.statusCode(), created.body());
        String jobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        Pipeline.awaitJob(jobId, j -> outcomes(j).contains("samples_removed"), Duration.ofSeconds(20));
        assertEquals(List.of(), Lifecycle.versionsUnder("uploads/" + jobId + "/"));
        assertEquals(200, Pipeline.get("/fish/model/" + json(created).path("_id").asText()).statusCode());
    }

    @Test
    void withARetentionPeriodAnEndedJobsExactVersionsAreTaggedForTheLifecycleRule() {
        String key = "uploads/retention-" + RUN + "/tagged.wav";
        String first = put(key, speech(2), Map.of("project", "alpha"));
        String second = put(key, speech(3), Map.of()); // a later upload of the key: another job's input
        Job ended = endedJob(key, first);

        retention(Optional.of(Duration.ofDays(7))).jobEnded(ended);

        Map<String, String> tags = tags(key, first);
        assertEquals(SampleStorage.ENDED_VALUE, tags.get(SampleStorage.ENDED_TAG), tags.toString());
        assertEquals("alpha", tags.get("project"), "the uploader's own tags are kept");
        assertFalse(tags(key, second).containsKey(SampleStorage.ENDED_TAG), "another job's version is left alone");
    }

    @Test
    void withKeepNothingIsTaggedAndAStillRunningJobIsNeverTouched() {
        String key = "uploads/retention-" + RUN + "/kept.wav";
        String version = put(key, speech(2), Map.of());
        retention(Optional.empty()).jobEnded(endedJob(key, version));
        assertEquals(Map.of(), tags(key, version));

        Job running = endedJob(key, version).withStatus(JobStatus.RUNNING, Instant.now());
        retention(Optional.of(Duration.ofDays(1))).jobEnded(running);
        assertEquals(Map.of(), tags(key, version), "only a job that ended lets its samples go");
    }

    private static SampleRetention retention(Optional<Duration> days) {
        var ctx = stack().pipeline.context();
        return new SampleRetention(ctx.getBean(SampleStorage.class), ctx.getBean(JobStore.class), days,
                Clock.systemUTC());
    }

    private static Job endedJob(String key, String versionId) {
        return Jobs.queued(UUID.randomUUID().toString(), Instant.now()).bucket(bucket()).sourceKeys(List.of(key))
                .samples(List.of(new Sample(key, versionId, 1, null))).spec(ModelSpec.titled("retention")).build()
                .withStatus(JobStatus.FAILED, Instant.now());
    }

    private static String put(String key, byte[] bytes, Map<String, String> tags) {
        String tagging = tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + "&" + b).orElse(null);
        // Under uploads/ (where the API keeps its copies): no S3 notification, so no job of its own.
        return s3().putObject(b -> b.bucket(bucket()).key(key).tagging(tagging), RequestBody.fromBytes(bytes))
                .versionId();
    }

    private static Map<String, String> tags(String key, String versionId) {
        Map<String, String> out = new HashMap<>();
        for (Tag t : s3().getObjectTagging(b -> b.bucket(bucket()).key(key).versionId(versionId)).tagSet()) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    private static List<String> outcomes(JsonNode job) {
        List<String> out = new java.util.ArrayList<>();
        job.path("history").forEach(a -> out.add(a.path("outcome").asText()));
        return out;
    }
}
