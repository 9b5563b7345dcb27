package io.voicedrop.e2e;

import static io.voicedrop.e2e.IngestAssertions.RUN;
import static io.voicedrop.e2e.IngestAssertions.assertRejected;
import static io.voicedrop.e2e.IngestAssertions.put;
import static io.voicedrop.e2e.IngestAssertions.storedJob;
import static io.voicedrop.e2e.IngestAssertions.uploadText;
import static io.voicedrop.e2e.Pipeline.awaitReport;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.createCallsFor;
import static io.voicedrop.e2e.Pipeline.fixture;
import static io.voicedrop.e2e.Pipeline.keysUnder;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.UploadIngestor;
import io.voicedrop.core.service.UploadLayout;
import io.voicedrop.local.DemoAudio;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * How uploads become models, through real S3 notifications: single files, folders committed by their manifest,
 * repeated and renewed manifests, unusual keys, and a folder of 500 files.
 */
class IngestGroupingTest {

    private static JsonNode awaitSucceeded(String jobId) {
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        return job;
    }

    private static List<String> sourceKeys(JsonNode job) {
        List<String> keys = new ArrayList<>();
        job.path("source_keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    private static JsonNode createBody(String jobId) throws Exception {
        String marker = JobRunner.markerTag(jobId);
        for (String body : stack().simulator.createRequestBodies()) {
            if (body.contains(marker)) {
                return Json.MAPPER.readTree(body);
            }
        }
        throw new AssertionError("no create call for job " + jobId);
    }

    @Test
    void aFolderBecomesOneModelOfEveryAudioFileInItWhenItsManifestArrives() {
        String folder = "incoming/grouping " + RUN + "/";
        List<String> uploaded = new ArrayList<>(List.of(
                put(folder + "take1.wav", speech(31)),
                put(folder + "sub/take2.mp3", fixture("mp3_44k_stereo_cbr.mp3")),
                put(folder + "sub/deeper/take3.m4a", fixture("aac_44k_stereo_faststart.m4a")),
                put(folder + "take4.opus", fixture("opus_48k_stereo.opus")),
                put(folder + "notes.txt", "not audio, not a sample".getBytes(StandardCharsets.UTF_8)),
                put(folder + "._take1.wav", "macOS metadata".getBytes(StandardCharsets.UTF_8))));
        Pipeline.sleep(1500);
        assertTrue(keysUnder("status/grouping " + RUN + "/").isEmpty(), "audio without a manifest creates nothing");

        String manifestKey = folder + "model.json";
        String jobId = uploadText(manifestKey, "{}");
        uploaded.add(manifestKey);
        JsonNode job = awaitSucceeded(jobId);

        assertEquals("grouping " + RUN, job.path("title").asText());
        assertEquals(List.of(folder + "sub/deeper/take3.m4a", folder + "sub/take2.mp3", folder + "take1.wav",
                folder + "take4.opus", manifestKey), sourceKeys(job));
        assertTrue(job.path("warnings").toString().contains("under the recommended 30 s"), job.toString());
        assertEquals(4, stack().simulator.model(job.path("model_id").asText()).orElseThrow().samples().size());
        assertEquals(1, createCallsFor(jobId));
        JsonNode report = awaitReport(manifestKey, r -> "SUCCEEDED".equals(r.path("status").asText()),
                Duration.ofSeconds(10));
        assertEquals(jobId, report.path("job_id").asText());
        assertEquals("status/grouping " + RUN + "/model.json.json", UploadLayout.statusKey(manifestKey));
        assertEquals(new HashSet<>(uploaded), new HashSet<>(keysUnder(folder)),
                "VoiceDrop never writes under incoming/");
        assertFalse(report.toString().contains("X-Amz-"), "no presigned URL in the report");
    }

    @Test
    void folderAudioWithoutAManifestCreatesNothing() {
        String folder = "incoming/no manifest " + RUN + "/";
        List<String> jobIds = List.of(upload(folder + "a.wav", speech(31)), upload(folder + "sub/b.wav", speech(31)));
        Pipeline.sleep(2500);
        for (String id : jobIds) {
            assertTrue(storedJob(id).isEmpty());
            assertEquals(404, Pipeline.get("/jobs/" + id).statusCode());
        }
        assertTrue(keysUnder("status/no manifest " + RUN + "/").isEmpty());
    }

    @Test
    void theManifestSetsEveryCreateFieldAndTheTextsOfItsListedSamples() throws Exception {
        String folder = "incoming/fields " + RUN + "/";
        put(folder + "first.wav", speech(31));
        put(folder + "second.wav", DemoAudio.wav(Duration.ofSeconds(32), 16_000, 1, 7));
        put(folder + "unlisted.wav", speech(31));
        String jobId = uploadText(folder + "model.json", """
                {"title": "Narrator - Fields", "description": "Two studio takes", "tags": ["en", "narration"],
                 "visibility": "private", "type": "tts", "train_mode": "fast", "enhance_audio_quality": false,
                 "cover_image": "https://cdn.example.org/cover.png", "language": "en", "strict": true,
                 "samples": [{"file": "second.wav", "text": "The second take."},
                             {"file": "first.wav", "text": "The first take."}]}
                """);
        JsonNode job = awaitSucceeded(jobId);
        assertEquals("Narrator - Fields", job.path("title").asText());
        assertEquals(List.of(folder + "second.wav", folder + "first.wav", folder + "model.json"), sourceKeys(job));

        JsonNode body = createBody(jobId);
        assertEquals("Narrator - Fields", body.path("title").asText());
        assertEquals("Two studio takes", body.path("description").asText());
        assertEquals("private", body.path("visibility").asText());
        assertFalse(body.path("enhance_audio_quality").asBoolean(true));
        assertEquals("https://cdn.example.org/cover.png", body.path("cover_image").asText());
        assertEquals(List.of("The second take.", "The first take."),
                List.of(body.path("texts").get(0).asText(), body.path("texts").get(1).asText()));
        assertEquals(2, body.path("voices").size());
        String tags = body.path("tags").toString();
        assertTrue(tags.contains("\"en\"") && tags.contains("\"narration\""), tags);
        assertEquals("en", storedJob(jobId).orElseThrow().spec().language());
    }

    @Test
    void aChangedManifestIsANewRequestAndTheSameOneDeliveredTwiceIsOne() {
        String folder = "incoming/versions " + RUN + "/";
        put(folder + "a.wav", speech(31));
        String manifestKey = folder + "model.json";
        String first = uploadText(manifestKey, "{\"title\": \"Version one\"}");
        awaitSucceeded(first);

        for (int i = 0; i < 2; i++) {
            List<IngestResult> again = stack().pipeline.ingestHandler()
                    .handleRequest(IngestAssertions.createdEvent(manifestKey), null);
            assertEquals(first, again.get(0).jobId());
            assertTrue(again.get(0).duplicate());
        }
        Pipeline.sleep(1500);
        assertEquals(1, createCallsFor(first), "one manifest object, one billed create");

        String second = uploadText(manifestKey, "{\"title\": \"Version two\"}");
        assertNotEquals(first, second);
        JsonNode job = awaitSucceeded(second);
        assertEquals("Version two", job.path("title").asText());
        assertEquals(1, createCallsFor(second));
    }

    @Test
    void keysWithSpacesPlusPercentUnicodeAndMaximumLengthWork() {
        String longName = "L".repeat(UploadLayout.MAX_KEY_BYTES - "incoming/".length() - RUN.length() - ".wav".length())
                + RUN;
        List<String> keys = List.of(
                "incoming/with spaces " + RUN + ".wav",
                "incoming/plus+sign+" + RUN + ".wav",
                "incoming/percent 100% and %2B " + RUN + ".wav",
                "incoming/ünïcødé 日本語 😀 " + RUN + ".wav",
                "incoming/" + longName + ".wav");
        assertEquals(1024, keys.get(4).getBytes(StandardCharsets.UTF_8).length);
        List<String> jobIds = new ArrayList<>();
        for (String key : keys) {
            jobIds.add(upload(key, speech(31)));
        }
        for (int i = 0; i < keys.size(); i++) {
            JsonNode job = awaitSucceeded(jobIds.get(i));
            assertEquals(UploadLayout.baseName(keys.get(i)), job.path("title").asText());
            assertEquals(List.of(keys.get(i)), sourceKeys(job));
            JsonNode report = awaitReport(keys.get(i), r -> "SUCCEEDED".equals(r.path("status").asText()),
                    Duration.ofSeconds(10));
            assertEquals(jobIds.get(i), report.path("job_id").asText());
        }
        assertTrue(UploadLayout.statusKey(keys.get(4)).contains("~"), "the longest key's report name is shortened");

        String folder = "incoming/földer + 50% " + RUN + "/";
        put(folder + "a b+c%.wav", speech(31));
        put(folder + "ü/日本.wav", speech(31));
        String jobId = uploadText(folder + "model.json", "{\"samples\": [\"a b+c%.wav\", \"ü/日本.wav\"]}");
        assertEquals(List.of(folder + "a b+c%.wav", folder + "ü/日本.wav", folder + "model.json"),
                sourceKeys(awaitSucceeded(jobId)));
    }

    @Test
    void theS3TestEventIsANoOp() {
        int reports = keysUnder("status/").size();
        String testEvent = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-27T10:00:00.000Z\","
                + "\"Bucket\":\"" + stack().pipeline.bucket() + "\",\"RequestId\":\"5582815E1AEA5ADF\","
                + "\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}";
        List<IngestResult> results = stack().pipeline.ingestHandler()
                .handleRequest(IngestAssertions.event(testEvent), null);
        assertTrue(results.isEmpty(), results.toString());
        assertEquals(reports, keysUnder("status/").size());
    }

    @Test
    void fiveHundredFilesDroppedAtOnceMakeOneRejectedJobThenTwentyListedOnesMakeOneModel() throws Exception {
        String folder = "incoming/bulk " + RUN + "/";
        byte[] tiny = DemoAudio.wav(Duration.ofSeconds(1), 8_000, 1, 1);
        List<UploadedObject> files = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<UploadedObject>> puts = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = String.format("%ss%03d.wav", folder, i);
                puts.add(pool.submit(() -> {
                    var r = stack().pipeline.s3().putObject(b -> b.bucket(stack().pipeline.bucket()).key(key),
                            software.amazon.awssdk.core.sync.RequestBody.fromBytes(tiny));
                    return new UploadedObject(stack().pipeline.bucket(), key, r.versionId(), r.eTag(), tiny.length);
                }));
            }
            for (Future<UploadedObject> f : puts) {
                files.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        String manifestKey = folder + "model.json";
        String rejected = uploadText(manifestKey, "{}");
        JsonNode job = Pipeline.awaitJob(rejected, j -> Pipeline.TERMINAL.contains(j.path("status").asText()),
                Duration.ofSeconds(120));
        assertEquals("REJECTED", job.path("status").asText(), job.toString());
        assertRejected(rejected, manifestKey, "too many samples: 500 audio files in the folder, the limit is 20");
        assertEquals(List.of(manifestKey), sourceKeys(job));
        Set<String> jobsForFiles = new HashSet<>();
        for (UploadedObject f : files) {
            storedJob(UploadIngestor.jobIdFor(f)).ifPresent(j -> jobsForFiles.add(j.jobId()));
        }
        assertTrue(jobsForFiles.isEmpty(), "no file of a folder starts a job of its own: " + jobsForFiles);

        StringBuilder twenty = new StringBuilder("{\"samples\": [");
        for (int i = 0; i < 20; i++) {
            twenty.append(i == 0 ? "" : ", ").append(String.format("\"s%03d.wav\"", i * 25));
        }
        String accepted = uploadText(manifestKey, twenty + "]}");
        JsonNode ok = awaitSucceeded(accepted);
        assertEquals(21, sourceKeys(ok).size());
        assertEquals(20, createBody(accepted).path("voices").size());
        assertEquals(1, createCallsFor(accepted));
        List<Sample> samples = storedJob(accepted).orElseThrow().samples();
        assertEquals(folder + "s475.wav", samples.get(19).key());
        HeadObjectResponse head = stack().pipeline.s3().headObject(b -> b.bucket(stack().pipeline.bucket())
                .key(folder + "s475.wav"));
        assertEquals(head.versionId(), samples.get(19).versionId(), "the worker signs exactly the checked version");
    }
}
