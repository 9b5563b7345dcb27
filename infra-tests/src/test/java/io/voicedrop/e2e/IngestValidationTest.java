package io.voicedrop.e2e;

import static io.voicedrop.e2e.IngestAssertions.RUN;
import static io.voicedrop.e2e.IngestAssertions.assertRejected;
import static io.voicedrop.e2e.IngestAssertions.put;
import static io.voicedrop.e2e.IngestAssertions.storedJob;
import static io.voicedrop.e2e.IngestAssertions.uploadText;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.createCallsFor;
import static io.voicedrop.e2e.Pipeline.speech;
import static io.voicedrop.e2e.Pipeline.stack;
import static io.voicedrop.e2e.Pipeline.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.service.IngestResult;
import io.voicedrop.local.DemoAudio;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input that cannot work is refused before anything is billed, with every reason where the user looks (the API
 * and the status report); what the contract only advises against is a warning unless the manifest is strict.
 */
class IngestValidationTest {

    private static String folder(String name) {
        return "incoming/" + name + " " + RUN + "/";
    }

    @Test
    void aManifestThatIsNotJsonIsRejected() {
        String f = folder("not json");
        put(f + "a.wav", speech(31));
        String jobId = uploadText(f + "model.json", "{\"title\": \"x\",\n  samples: [\"a.wav\"]}");
        assertRejected(jobId, f + "model.json", "model.json: not valid JSON (line 2");
    }

    @Test
    void wrongTypesAndUnknownFieldsAreAllListed() {
        String f = folder("wrong types");
        put(f + "a.wav", speech(31));
        String jobId = uploadText(f + "model.json",
                "{\"title\": 5, \"tags\": \"en\", \"strict\": \"yes\", \"voices\": [\"https://x/a.wav\"]}");
        JsonNode job = assertRejected(jobId, f + "model.json", "\"title\" must be a string, got a number",
                "\"tags\" must be an array of strings", "\"strict\" must be true or false",
                "unknown field \"voices\" (allowed: $schema, title,");
        assertEquals(4, storedJob(jobId).orElseThrow().reasons().size(), job.toString());
        assertEquals("wrong types " + RUN, job.path("title").asText(), "falls back to the folder name");
    }

    @Test
    void listedSamplesThatNeverArriveAreNamedAfterAShortWait() {
        String f = folder("missing");
        put(f + "present.wav", speech(31));
        Instant start = Instant.now();
        String jobId = uploadText(f + "model.json", "{\"samples\": [\"present.wav\", \"never uploaded.wav\"]}");
        assertRejected(jobId, f + "model.json",
                "never uploaded.wav: listed in model.json but not found in " + f + " (waited 5.0 s for it)");
        assertTrue(Duration.between(start, Instant.now()).toSeconds() >= 5, "missing samples are waited for");
    }

    @Test
    void aManifestThatArrivesBeforeItsLastSampleWaitsForIt() {
        String f = folder("out of order");
        put(f + "first.wav", speech(31));
        String jobId = uploadText(f + "model.json", "{\"samples\": [\"first.wav\", \"late.wav\"]}");
        Pipeline.sleep(2500); // the sync tool finishes the big sample after the manifest
        put(f + "late.wav", speech(33));
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(2, stack().simulator.model(job.path("model_id").asText()).orElseThrow().samples().size());
    }

    @Test
    void aFolderWithoutAudioIsRejected() {
        String empty = folder("empty");
        assertRejected(uploadText(empty + "model.json", "{}"), empty + "model.json", "no audio files in " + empty);
        String docs = folder("docs only");
        put(docs + "readme.txt", "no audio here".getBytes(StandardCharsets.UTF_8));
        put(docs + "cover.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertRejected(uploadText(docs + "model.json", "{}"), docs + "model.json", "no audio files in " + docs);
    }

    @Test
    void filesThatAreNotUsableAudioAreRejected() {
        String renamed = "incoming/renamed text " + RUN + ".wav";
        assertRejected(upload(renamed, "this is a text file with a .wav name".getBytes(StandardCharsets.UTF_8)),
                renamed, "renamed text " + RUN + ".wav: not audio: text");
        String png = "incoming/renamed png " + RUN + ".mp3";
        byte[] pngBytes = new byte[64];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, pngBytes, 0, 8);
        assertRejected(upload(png, pngBytes), png, "not audio: PNG image");
        String empty = "incoming/zero bytes " + RUN + ".wav";
        assertRejected(upload(empty, new byte[0]), empty, "zero bytes " + RUN + ".wav: the file is empty (0 bytes)");
        String truncated = "incoming/truncated " + RUN + ".wav";
        assertRejected(upload(truncated, Arrays.copyOf(speech(31), 30)), truncated, "damaged or truncated audio header");
        String notAudioName = "incoming/notes " + RUN + ".txt";
        assertRejected(upload(notAudioName, "hello".getBytes(StandardCharsets.UTF_8)), notAudioName,
                "not an audio file name");
    }

    @Test
    void everyBadSampleOfAFolderIsListedAndNothingIsBilled() {
        String f = folder("mixed");
        put(f + "good.wav", speech(31));
        put(f + "fake.wav", "not audio".getBytes(StandardCharsets.UTF_8));
        put(f + "empty.m4a", new byte[0]);
        String jobId = uploadText(f + "model.json", "{\"title\": \"Mixed\"}");
        JsonNode job = assertRejected(jobId, f + "model.json", "fake.wav: not audio", "empty.m4a: the file is empty");
        assertEquals("Mixed", job.path("title").asText());
    }

    @Test
    void warningsPassUnlessTheManifestIsStrict() {
        byte[] shortLowRate = DemoAudio.wav(Duration.ofSeconds(5), 8_000, 1, 3);
        String relaxed = folder("relaxed");
        put(relaxed + "short.wav", shortLowRate);
        String okId = uploadText(relaxed + "model.json", "{}");
        JsonNode ok = awaitTerminal(okId);
        assertEquals("SUCCEEDED", ok.path("status").asText(), ok.toString());
        String warnings = ok.path("warnings").toString();
        assertTrue(warnings.contains("sample rate 8000 Hz is under the recommended 16 kHz"), warnings);
        assertTrue(warnings.contains("5.0 s long, under the recommended 30 s"), warnings);

        String strict = folder("strict");
        put(strict + "short.wav", shortLowRate);
        String jobId = uploadText(strict + "model.json", "{\"strict\": true, \"visibility\": \"public\"}");
        assertRejected(jobId, strict + "model.json", "strict: short.wav: sample rate 8000 Hz",
                "strict: short.wav: 5.0 s long", "strict: model.json: visibility is public but there is no cover_image");
    }

    @Test
    void aRejectedManifestDeliveredAgainStaysOneRejectedJob() {
        String f = folder("rejected twice");
        String key = f + "model.json";
        String jobId = uploadText(key, "{\"titel\": \"typo\"}");
        assertRejected(jobId, key, "unknown field \"titel\"");
        List<IngestResult> again = stack().pipeline.ingestHandler().handleRequest(IngestAssertions.createdEvent(key), null);
        assertEquals(jobId, again.get(0).jobId());
        assertEquals("REJECTED", again.get(0).status().name());
        assertTrue(again.get(0).duplicate());
        IngestAssertions.assertNeverBilled(jobId);
        assertEquals(0, createCallsFor(jobId));
    }
}
