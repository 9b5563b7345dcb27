package io.voicedrop.e2e;

import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.service.UploadLayout;
import io.voicedrop.sim.FishSimulator;
import io.voicedrop.testing.Jobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The spoken preview: once the model is trained the worker calls the simulator's {@code POST /fish/tts} with the
 * model as {@code reference_id}, downloads the {@code audio_url} it answers (through the outbound guard) and stores it
 * as {@code status/<path>.preview.mp3}. At most one billable TTS call per job, whatever fails or crashes.
 */
class SpokenPreviewTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTrainedVoiceSpeaksItsPreviewWhichIsStoredLinkedAndServed() throws Exception {
        String folder = "incoming/preview ok " + RUN + "/";
        JsonNode job = folderJob(folder, "Hello, this is my new voice.", true);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        String modelId = job.path("model_id").asText();
        String key = UploadLayout.previewKey(folder + "model.json");
        JsonNode preview = job.path("preview");
        assertEquals("stored", preview.path("state").asText(), job.toString());
        assertEquals(key, preview.path("key").asText());
        assertEquals("/models/" + modelId + "/preview", preview.path("path").asText());
        assertArrayEquals(FishSimulator.speechAudio(), object(key), "the audio upstream's audio_url served");

        List<JsonNode> calls = speechCallsFor(modelId);
        assertEquals(1, calls.size(), "one TTS call");
        assertEquals("Hello, this is my new voice.", calls.get(0).path("text").asText());
        assertEquals("mp3", calls.get(0).path("format").asText());
        String create = stack().simulator.createRequestBodies().stream()
                .filter(b -> b.contains(io.voicedrop.core.service.JobRunner.markerTag(job.path("job_id").asText())))
                .findFirst().orElseThrow();
        assertEquals(true, Json.MAPPER.readTree(create).path("generate_sample").asBoolean(false),
                "generate_sample is forwarded: " + create);

        JsonNode report = Pipeline.awaitReport(folder + "model.json", r -> r.path("status").asText()
                .equals("SUCCEEDED"), Duration.ofSeconds(10));
        assertEquals(key, report.path("preview").path("key").asText(), report.toString());

        HttpResponse<String> link = Pipeline.get("/models/" + modelId + "/preview");
        assertEquals(200, link.statusCode(), link.body());
        JsonNode answer = Pipeline.json(link);
        assertEquals("audio/mpeg", answer.path("content_type").asText());
        assertTrue(Instant.parse(answer.path("expires_at").asText()).isBefore(Instant.now().plusSeconds(301)));
        HttpResponse<byte[]> audio = HTTP.send(HttpRequest.newBuilder(URI.create(answer.path("url").asText())).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, audio.statusCode());
        assertArrayEquals(FishSimulator.speechAudio(), audio.body(), "the presigned link serves the preview");
    }

    @Test
    void aTtsAnswerLostAfterUpstreamServedItIsNotPaidForTwiceAndTheModelStillSucceeds() {
        int served = stack().simulator.speechServed();
        // Served (and billed) upstream, but held past the worker's 3 s upstream timeout.
        stack().simulator.speechThenTimeout(Duration.ofSeconds(5));
        String folder = "incoming/preview lost " + RUN + "/";
        JsonNode job = folderJob(folder, "Lost in transit.", false);
        assertEquals("SUCCEEDED", job.path("status").asText(), "a preview never fails the model: " + job);
        assertEquals("failed", job.path("preview").path("state").asText());
        assertTrue(warnings(job).stream().anyMatch(w -> w.contains("it was not repeated")), job.toString());
        String jobId = job.path("job_id").asText();
        // A redelivered message must not ask again either.
        stack().pipeline.context().getBean(JobQueue.class).enqueue(jobId, Duration.ZERO);
        Pipeline.sleep(2000);
        assertEquals(1, speechCallsFor(job.path("model_id").asText()).size(), "one billable call");
        assertEquals(served + 1, stack().simulator.speechServed());
        assertFalse(Pipeline.keysUnder(UploadLayout.previewKey(folder + "model.json")).size() > 0, "no preview");
        assertEquals(404, Pipeline.get("/models/" + job.path("model_id").asText() + "/preview").statusCode());
    }

    @Test
    void anErrorAnswerIsRetriedBecauseItWasNotServed() {
        stack().simulator.failNextSpeech(1, 500);
        JsonNode job = folderJob("incoming/preview retry " + RUN + "/", "Second time lucky.", false);
        assertEquals("stored", job.path("preview").path("state").asText(), job.toString());
        assertEquals(2, speechCallsFor(job.path("model_id").asText()).size());
        List<String> tts = ttsOutcomes(job);
        assertEquals(List.of("retry", "created"), tts);
    }

    @Test
    void aRefusedPreviewIsAWarningNotAFailure() {
        stack().simulator.failNextSpeech(1, 400);
        JsonNode job = folderJob("incoming/preview refused " + RUN + "/", "No.", false);
        assertEquals("SUCCEEDED", job.path("status").asText());
        assertEquals("failed", job.path("preview").path("state").asText());
        assertTrue(warnings(job).stream().anyMatch(w -> w.contains("upstream answered HTTP 400")), job.toString());
        assertEquals(1, speechCallsFor(job.path("model_id").asText()).size());
        assertEquals(List.of("failed"), ttsOutcomes(job));
    }

    /**
     * A worker that died after upstream answered (the {@code audio_url} is on the job) and before the audio was
     * stored: the next delivery downloads and stores it, without a second TTS call, exactly once.
     */
    @Test
    void aWorkerThatDiedAfterTheAnswerStoresThePreviewOnceWithoutCallingAgain() throws Exception {
        String modelId = trainedModel("answered");
        String audioUrl = Json.MAPPER.readTree(speakDirectly(modelId)).path("audio_url").asText();
        int calls = stack().simulator.speechCalls();
        String source = "incoming/preview crashed " + RUN + ".wav";
        String jobId = crashedJob("answered", source, modelId,
                Preview.requested("Back again.", Instant.now()).answered(audioUrl, Instant.now()));

        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("stored", job.path("preview").path("state").asText(), job.toString());
        assertEquals(calls, stack().simulator.speechCalls(), "no second TTS call");
        String key = UploadLayout.previewKey(source);
        assertArrayEquals(FishSimulator.speechAudio(), object(key));
        long versions = stack().pipeline.s3().listObjectVersions(b -> b.bucket(stack().pipeline.bucket()).prefix(key))
                .versions().size();
        assertEquals(1, versions, "stored once");
    }

    /** A worker that died after sending the billable call and before writing its answer: never asked again. */
    @Test
    void aWorkerThatDiedAfterSendingGivesUpThePreviewRatherThanPayTwice() {
        String modelId = trainedModel("requested");
        int calls = stack().simulator.speechCalls();
        String jobId = crashedJob("requested", "incoming/preview sent " + RUN + ".wav", modelId,
                Preview.requested("Sent once.", Instant.now()));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText());
        assertEquals("failed", job.path("preview").path("state").asText());
        assertTrue(warnings(job).stream().anyMatch(w -> w.contains("its answer was lost")), job.toString());
        assertEquals(calls, stack().simulator.speechCalls(), "no second TTS call");
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private static JsonNode folderJob(String folder, String previewText, boolean generateSample) {
        Pipeline.upload(folder + "take.wav", speech(31));
        ObjectNode manifest = Json.MAPPER.createObjectNode().put("preview_text", previewText);
        if (generateSample) {
            manifest.put("generate_sample", true);
        }
        String jobId = Pipeline.upload(folder + "model.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        return Pipeline.awaitJob(jobId, j -> Pipeline.TERMINAL.contains(j.path("status").asText()),
                Duration.ofSeconds(60));
    }

    /** A model upstream (a plain job, no preview), for jobs built by hand. */
    private static String trainedModel(String name) {
        String jobId = Pipeline.upload("incoming/preview model " + name + " " + RUN + ".wav", speech(31));
        JsonNode job = Pipeline.awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText());
        return job.path("model_id").asText();
    }

    /** A job as a dead worker left it: RUNNING, lease over, model known, the preview at {@code preview}. */
    private static String crashedJob(String name, String source, String modelId, Preview preview) {
        JobStore jobs = stack().pipeline.context().getBean(JobStore.class);
        String jobId = "preview-crash-" + name + "-" + RUN;
        Instant now = Instant.now();
        Job job = Jobs.queued(jobId, now).bucket(stack().pipeline.bucket()).sourceKeys(List.of(source))
                .samples(List.of()).spec(ModelSpec.titled(name)).options(new JobOptions(null, preview.text())).build();
        jobs.createIfAbsent(job);
        Job stored = jobs.find(jobId).orElseThrow();
        stored = jobs.update(stored.claimed(now.minusSeconds(1), now).withCreateStarted().withModelId(modelId)
                .withPreview(preview));
        stack().pipeline.context().getBean(JobQueue.class).enqueue(jobId, Duration.ZERO);
        return jobId;
    }

    private static String speakDirectly(String modelId) throws Exception {
        String body = "{\"text\":\"Back again.\",\"reference_id\":\"" + modelId + "\",\"format\":\"mp3\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack().simulator.baseUrl() + "/fish/tts"))
                .header("Authorization", "Bearer " + stack().simulator.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static List<JsonNode> speechCallsFor(String modelId) {
        return stack().simulator.speechRequestBodies().stream().map(b -> Json.read(b, JsonNode.class))
                .filter(b -> modelId.equals(b.path("reference_id").asText())).toList();
    }

    private static List<String> ttsOutcomes(JsonNode job) {
        List<String> out = new java.util.ArrayList<>();
        job.path("history").forEach(a -> {
            if (a.path("operation").asText().equals("tts")) {
                out.add(a.path("outcome").asText());
            }
        });
        return out;
    }

    private static List<String> warnings(JsonNode job) {
        List<String> out = new java.util.ArrayList<>();
        job.path("warnings").forEach(w -> out.add(w.asText()));
        return out;
    }

    private static byte[] object(String key) {
        return stack().pipeline.s3().getObjectAsBytes(b -> b.bucket(stack().pipeline.bucket()).key(key)).asByteArray();
    }

}
