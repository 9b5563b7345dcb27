package io.voicedrop.e2e;

import static io.voicedrop.e2e.IngestAssertions.RUN;
import static io.voicedrop.e2e.IngestAssertions.assertRejected;
import static io.voicedrop.e2e.IngestAssertions.put;
import static io.voicedrop.e2e.IngestAssertions.storedJob;
import static io.voicedrop.e2e.IngestAssertions.uploadText;
import static io.voicedrop.e2e.Pipeline.awaitReport;
import static io.voicedrop.e2e.Pipeline.awaitTerminal;
import static io.voicedrop.e2e.Pipeline.createCallsFor;
import static io.voicedrop.e2e.Pipeline.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.local.TestEncoders;
import io.voicedrop.local.TestSignals;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The quality check on the running pipeline (moto S3, the Fish simulator): samples are streamed from the bucket and
 * decoded in WAV, FLAC and MP3; a strict manifest refuses a bad set with every reason and no upstream call; without
 * strict the same set is billed once, with the warnings and figures in the report, {@code GET /jobs/{id}} and
 * {@code GET /models/{id}/source}; {@code POST /fish/model} is checked the same way.
 */
class IngestQualityTest {

    private static final int RATE = 16_000;

    /** Four 35 s takes, each wrong in one way, in the three decoded formats. */
    private static void putBadSet(String folder) {
        // 10 s of speech in 35 s: the rest is silence.
        put(folder + "pauses.wav", TestEncoders.wav(TestSignals.mono(
                TestSignals.speechWithGaps(RATE, new double[] {5, 5}, 25.0 / 3, 0.5, 1), RATE), 16));
        // Driven 3x into full scale.
        put(folder + "clipped.flac", TestEncoders.flac(TestSignals.mono(
                TestSignals.clipped(TestSignals.speech(RATE, 35, 0.5, 2), 3), RATE)));
        // Hiss 8 dB under the voice, heard in the pauses.
        put(folder + "noisy.mp3", TestEncoders.mp3(TestSignals.mono(TestSignals.withNoise(
                TestSignals.speechWithGaps(RATE, new double[] {16, 16}, 1.0, 0.5, 3), 8, 4), RATE), 64));
        // Stereo with nothing on the right.
        float[] voice = TestSignals.speech(RATE, 35, 0.5, 5);
        put(folder + "dead right.wav", TestEncoders.wav(TestSignals.stereo(voice, TestSignals.silence(voice.length),
                RATE), 16));
    }

    private static final String[] BAD_SET_REASONS = {
        "strict: pauses.wav: 71 % silence, 10.",
        " s of speech (30 s recommended)",
        "strict: clipped.flac: ",
        "% of samples clipped (at most 0.1 % recommended)",
        "strict: noisy.mp3: noisy: speech is ",
        "strict: dead right.wav: the right channel is silent",
    };

    @Test
    void aStrictManifestRefusesABadSetWithEveryReasonAndNoUpstreamCall() {
        String folder = "incoming/quality strict " + RUN + "/";
        putBadSet(folder);
        String jobId = uploadText(folder + "model.json", "{\"strict\": true}");
        JsonNode job = assertRejected(jobId, folder + "model.json", BAD_SET_REASONS);
        assertEquals(0, createCallsFor(jobId));
        JsonNode quality = job.path("quality");
        assertEquals(4, quality.path("samples").size(), job.toString());
        assertEquals(4, quality.path("model").path("analysed").asInt());
        JsonNode report = awaitReport(folder + "model.json", r -> jobId.equals(r.path("job_id").asText()),
                Duration.ofSeconds(10));
        assertEquals(quality, report.path("quality"), "the status report carries the same figures");
    }

    @Test
    void withoutStrictTheSetIsBilledOnceWithWarningsAndFiguresEverywhere() {
        String folder = "incoming/quality relaxed " + RUN + "/";
        putBadSet(folder);
        String jobId = uploadText(folder + "model.json", "{}");
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(1, createCallsFor(jobId));
        String warnings = job.path("warnings").toString();
        for (String reason : BAD_SET_REASONS) {
            String part = reason.replace("strict: ", "");
            assertTrue(warnings.contains(part), "expected '" + part + "' in " + warnings);
        }

        JsonNode pauses = sample(job, "pauses.wav");
        assertEquals("analysed", pauses.path("status").asText());
        assertEquals(10.0, pauses.path("speech_seconds").asDouble(), 0.3);
        assertEquals(35.0, pauses.path("analysed_seconds").asDouble(), 0.05);
        assertEquals(List.of("speech"), findings(pauses));
        JsonNode clipped = sample(job, "clipped.flac");
        assertTrue(clipped.path("clipped_percent").asDouble() > 1, clipped.toString());
        assertTrue(findings(clipped).contains("clipping"), clipped.toString());
        JsonNode noisy = sample(job, "noisy.mp3");
        assertEquals(8.0, noisy.path("snr_db").asDouble(), 1.5, noisy.toString());
        assertEquals(List.of("noise"), findings(noisy));
        JsonNode dead = sample(job, "dead right.wav");
        assertEquals("silent_channel", dead.path("channel_use").asText());
        assertEquals(2, dead.path("channels").asInt());
        JsonNode model = job.path("quality").path("model");
        assertEquals(4, model.path("samples").asInt());
        assertEquals(140.0, model.path("analysed_seconds").asDouble(), 0.5);
        assertTrue(model.path("findings").asInt() >= 4, model.toString());

        QualityReport stored = storedJob(jobId).orElseThrow().quality();
        assertEquals(4, stored.samples().size());
        JsonNode report = awaitReport(folder + "model.json", r -> "SUCCEEDED".equals(r.path("status").asText()),
                Duration.ofSeconds(10));
        assertEquals(job.path("quality"), report.path("quality"));
        HttpResponse<String> source = Pipeline.get("/models/" + job.path("model_id").asText() + "/source");
        assertEquals(200, source.statusCode(), source.body());
        assertEquals(job.path("quality"), json(source).path("quality"));
        HttpResponse<String> entity = Pipeline.get("/fish/model/" + job.path("model_id").asText());
        assertTrue(!entity.body().contains("\"quality\""), "the Fish ModelEntity stays as the contract has it");
    }

    @Test
    void goodSpeechPassesStrictWithItsFiguresAndNoWarning() {
        String folder = "incoming/quality good " + RUN + "/";
        put(folder + "take.mp3", TestEncoders.mp3(TestSignals.mono(TestSignals.withNoise(
                TestSignals.speechWithGaps(RATE, new double[] {16, 16}, 0.5, 0.4, 6), 35, 7), RATE), 64));
        String jobId = uploadText(folder + "model.json", "{\"strict\": true}");
        JsonNode job = awaitTerminal(jobId);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(0, job.path("warnings").size(), job.toString());
        JsonNode take = sample(job, "take.mp3");
        assertEquals(32.0, take.path("speech_seconds").asDouble(), 0.4);
        assertEquals(List.of(), findings(take));
    }

    @Test
    void aPostedVoiceIsCheckedByTheSameRules() {
        byte[] quiet = TestEncoders.wav(TestSignals.mono(TestSignals.speech(RATE, 32, 0.005, 8), RATE), 16);
        HttpResponse<String> r = ApiCalls.createMultipart(stack().apiToken, "quality post " + RUN, List.of(), quiet);
        assertTrue(r.statusCode() == 201 || r.statusCode() == 202, r.statusCode() + " " + r.body());
        String jobId = r.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
        JsonNode job = awaitTerminal(jobId);
        assertTrue(job.path("warnings").toString().contains("voices[0]: very quiet: "), job.toString());
        JsonNode voice = sample(job, "voices[0]");
        assertEquals(List.of("loudness"), findings(voice));
        assertTrue(voice.path("loudness_lufs").asDouble() < -45, voice.toString());
    }

    private static TestStack stack() {
        return Pipeline.stack();
    }

    private static JsonNode sample(JsonNode job, String name) {
        return StreamSupport.stream(job.path("quality").path("samples").spliterator(), false)
                .filter(s -> name.equals(s.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " in " + job.path("quality")));
    }

    private static List<String> findings(JsonNode sample) {
        return StreamSupport.stream(sample.path("findings").spliterator(), false).map(JsonNode::asText).toList();
    }
}
