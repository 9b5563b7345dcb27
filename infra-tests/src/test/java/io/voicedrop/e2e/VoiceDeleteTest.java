package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.json;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.sim.FishSimulator;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code DELETE /fish/model/{id}} against the running local pipeline: the model is gone upstream, from every
 * listing, total and counter, and from the bucket (every version of its samples, manifest and covers, the API's
 * copies); its job is a tombstone; the status report says it was deleted. Also: an upstream failing for a while,
 * one that does not offer delete, and a delete racing a create still in flight.
 */
class VoiceDeleteTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void restore() {
        stack().simulator.setEdits(FishSimulator.EditOffer.OFFERED);
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static long total(String query) {
        HttpResponse<String> r = Pipeline.get("/fish/model?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).path("total").asLong();
    }

    /** The catalog's own counter of a partition (what {@code total} of a filtered listing reads). */
    private static long counter(String partition) {
        DynamoDbClient dynamo = stack().pipeline.context().getBean(DynamoDbClient.class);
        var item = dynamo.getItem(b -> b.tableName(stack().pipeline.config().modelsTable())
                .key(java.util.Map.of("pk", AttributeValue.fromS("COUNT#" + partition), "sk",
                        AttributeValue.fromS("COUNT")))).item();
        return item == null || !item.containsKey("n") ? 0 : Long.parseLong(item.get("n").n());
    }

    private static boolean upstreamHas(String modelId) {
        return stack().simulator.model(modelId).isPresent();
    }

    @Test
    void deleteThenListAndGetShowItGoneAndTheBucketHoldsNoneOfItsSamples() {
        String tag = "del-" + RUN;
        String title = "delete me " + RUN;
        String folder = "incoming/" + title + "/";
        String[] made = VoiceEditTest.bucketModel(title, tag);
        String jobId = made[0];
        String modelId = made[1];
        // A second version of a sample and a cover added by an edit: erased too.
        Pipeline.upload(folder + "take.wav", speech(32));
        HttpResponse<String> covered = Lifecycle.patchMultipart(stack().apiToken, modelId, new ApiCalls.Form()
                .file("cover_image", "c.png", "image/png", Lifecycle.png()));
        assertEquals(200, covered.statusCode(), covered.body());
        assertEquals(1, total("tag=" + q(tag)));
        assertEquals(1, counter("TAG#" + tag));
        long all = total("");
        JsonNode heard = Lifecycle.job(jobId).path("quality");
        assertTrue(heard.path("samples").size() > 0, "the quality check named the samples: " + heard);

        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, modelId);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = json(r);
        assertEquals("ok", answer.path("status").asText());
        assertEquals(modelId, answer.path("model_id").asText());
        assertEquals("DELETED", answer.path("job").path("status").asText());
        String deletionId = r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        assertEquals(jobId, answer.path("job").path("target_job_id").asText());

        assertFalse(upstreamHas(modelId), "gone upstream");
        assertEquals(404, Pipeline.get("/fish/model/" + modelId).statusCode());
        assertEquals(404, Pipeline.get("/models/" + modelId + "/source").statusCode());
        assertEquals(0, total("tag=" + q(tag)));
        assertEquals(0, total("title=" + q(title)));
        assertEquals(0, counter("TAG#" + tag));
        assertEquals(all - 1, total(""), "the unfiltered total counts one model fewer");
        // The sample, its first version, the manifest; the cover the edit stored.
        assertEquals(List.of(folder + "take.wav"), keys(Lifecycle.versionsUnder(folder)),
                "only the newer upload of take.wav (another job's input, not this voice's) is left");
        assertEquals(List.of(), Lifecycle.versionsUnder("uploads/" + jobId + "/"));

        JsonNode tomb = Lifecycle.job(jobId);
        assertEquals("DELETED", tomb.path("status").asText(), tomb.toString());
        assertEquals(modelId, tomb.path("model_id").asText(), "the tombstone says the model existed");
        assertEquals("", tomb.path("title").asText());
        assertEquals(0, tomb.path("source_keys").size());
        for (JsonNode a : tomb.path("history")) {
            if (!"erase".equals(a.path("operation").asText())) {
                assertTrue(a.path("message").isNull(), "no free text left: " + a);
            }
        }
        JsonNode erased = last(tomb.path("history"));
        assertEquals("erased", erased.path("outcome").asText());
        assertTrue(erased.path("message").asText().contains("requested by key "), erased.toString());
        assertTrue(erased.path("message").asText().contains(deletionId), erased.toString());
        assertFalse(tomb.toString().contains(title), "nothing names the recordings: " + tomb);
        assertEquals(0, tomb.path("quality").path("samples").size(), "no per-sample figures: " + tomb);
        assertEquals(heard.path("model"), tomb.path("quality").path("model"), "the totals stay");

        JsonNode report = Lifecycle.report(folder + "model.json");
        assertEquals("DELETED", report.path("status").asText(), report.toString());
        assertFalse(report.toString().contains(title), report.toString());
        assertEquals(0, report.path("quality").path("samples").size(), report.toString());
        assertEquals(1, Lifecycle.versionsUnder(io.voicedrop.core.service.UploadLayout.statusKey(folder
                + "model.json")).size(), "older versions of the report (with the title) are gone");

        // Deleting again: the model no longer exists; the job id answers its finished deletion.
        assertEquals(404, Lifecycle.delete(stack().apiToken, modelId).statusCode());
        HttpResponse<String> again = Lifecycle.delete(stack().apiToken, jobId);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(deletionId, again.headers().firstValue("X-VoiceDrop-Job-Id").orElse(null));
    }

    @Test
    void aModelMadeThroughTheApiLosesTheApiCopiesOfItsSamples() {
        HttpResponse<String> created = ApiCalls.createMultipart(stack().apiToken, "api delete " + RUN,
                List.of("api-del-" + RUN), speech(12));
        assertEquals(201, created.statusCode(), created.body());
        String modelId = json(created).path("_id").asText();
        String jobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        assertFalse(Lifecycle.versionsUnder("uploads/" + jobId + "/").isEmpty());
        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, jobId);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(modelId, json(r).path("model_id").asText(), "the job id deletes the model it made");
        assertEquals(List.of(), Lifecycle.versionsUnder("uploads/" + jobId + "/"));
        assertFalse(upstreamHas(modelId));
        assertEquals(0, total("tag=" + q("api-del-" + RUN)));
    }

    /** The spoken preview is the cloned voice speaking: it goes with the voice. */
    @Test
    void aVoicesSpokenPreviewIsErasedWithIt() {
        String folder = "incoming/delete preview " + RUN + "/";
        Pipeline.upload(folder + "take.wav", speech(31));
        String jobId = Pipeline.upload(folder + "model.json",
                "{\"preview_text\": \"Hello from the new voice.\"}".getBytes(StandardCharsets.UTF_8));
        JsonNode job = Pipeline.awaitJob(jobId, j -> j.path("preview").path("state").asText().equals("stored"),
                Duration.ofSeconds(60));
        String previewKey = job.path("preview").path("key").asText();
        assertFalse(Lifecycle.versionsUnder(previewKey).isEmpty(), "the preview is stored: " + job);

        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, jobId);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of(), Lifecycle.versionsUnder(previewKey), "the preview audio is erased");
        assertTrue(Lifecycle.job(jobId).path("preview").isNull(), "the tombstone does not name it");
        assertEquals(404, Pipeline.get("/models/" + job.path("model_id").asText() + "/preview").statusCode());
    }

    @Test
    void anUpstreamFailingForAWhileIsRetriedWithBackoffUntilTheDeleteWorks() {
        String[] made = VoiceEditTest.bucketModel("delete retry " + RUN, "del-retry-" + RUN);
        int calls = stack().simulator.deleteCalls();
        stack().simulator.failNextDeletes(2, 503);
        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, made[1]);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(calls + 3, stack().simulator.deleteCalls());
        List<String> outcomes = new ArrayList<>();
        json(r).path("job").path("history").forEach(a -> {
            if ("delete".equals(a.path("operation").asText())) {
                outcomes.add(a.path("outcome").asText());
            }
        });
        assertEquals(List.of("requested", "retry", "retry", "deleted"), outcomes);
        assertFalse(upstreamHas(made[1]));
    }

    @Test
    void anUpstreamThatDoesNotOfferDeleteFailsClearlyAndErasesNothing() {
        String tag = "del-offer-" + RUN;
        String[] made = VoiceEditTest.bucketModel("delete offer " + RUN, tag);
        String folder = "incoming/delete offer " + RUN + "/";
        int versions = Lifecycle.versionsUnder(folder).size();
        stack().simulator.setEdits(FishSimulator.EditOffer.NO_API);
        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, made[1]);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("api_not_implemented", json(r).path("error").path("code").asText());
        assertEquals(1, total("tag=" + q(tag)), "still listed");
        assertTrue(upstreamHas(made[1]));
        assertEquals(versions, Lifecycle.versionsUnder(folder).size(), "nothing erased");
        assertEquals("SUCCEEDED", Lifecycle.job(made[0]).path("status").asText());

        // Once the upstream offers it, the next DELETE starts the failed deletion again.
        stack().simulator.setEdits(FishSimulator.EditOffer.OFFERED);
        r = Lifecycle.delete(stack().apiToken, made[1]);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, total("tag=" + q(tag)));
    }

    /**
     * The create's answer is held past the worker's 3 s timeout, so the delete arrives while the create is in
     * flight (the model exists upstream, the job does not know it). The deletion waits for the create's worker, stops
     * the job, finds the model by the job's marker and deletes it: nothing is left upstream or in the catalog.
     */
    @Test
    void aDeleteRacingACreateInFlightLeavesNoModelAnywhere() {
        stack().simulator.createThenTimeout(Duration.ofSeconds(4));
        String key = "incoming/race " + RUN + ".wav";
        String jobId = Pipeline.upload(key, speech(31));
        JsonNode running = Pipeline.awaitJob(jobId, j -> j.path("status").asText().equals("RUNNING"),
                Duration.ofSeconds(30));
        assertTrue(running.path("model_id").isNull(), running.toString());
        HttpResponse<String> r = Lifecycle.delete(stack().apiToken, jobId);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.body());
        String deletionId = r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        JsonNode done = Pipeline.awaitJob(deletionId, j -> j.path("status").asText().equals("DELETED"),
                Duration.ofSeconds(60));
        String marker = JobRunner.markerTag(jobId);
        assertEquals(0, stack().simulator.models().stream().filter(m -> m.tags().contains(marker)).count(),
                "no model of the job upstream: " + done);
        assertEquals(1, Pipeline.createCallsFor(jobId), "never billed twice");
        String modelId = done.path("model_id").asText(null);
        if (modelId != null) {
            assertEquals(404, Pipeline.get("/fish/model/" + modelId).statusCode());
        }
        assertEquals(0, total("title=" + q("race " + RUN)));
        assertEquals("DELETED", Lifecycle.job(jobId).path("status").asText());
        assertEquals(List.of(), Lifecycle.versionsUnder(key));
    }

    private static List<String> keys(List<String> versions) {
        return versions.stream().map(v -> v.substring(0, v.indexOf('@'))).toList();
    }

    private static JsonNode last(JsonNode array) {
        assertTrue(array.size() > 0);
        return array.get(array.size() - 1);
    }
}
