package io.voicedrop.core.service;

import static io.voicedrop.core.service.Wavs.wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.audio.AudioProbe;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.model.UploadedObject;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Grouping, validation and the "never enqueue what failed" rule, with the bucket and the stores in memory. */
class UploadIngestorTest {

    private final FakeUploadStore bucket = new FakeUploadStore();
    private final IngestFakes.Jobs jobs = new IngestFakes.Jobs();
    private final IngestFakes.Queue queue = new IngestFakes.Queue();
    private final IngestFakes.Reports reports = new IngestFakes.Reports();
    private final List<Duration> slept = new ArrayList<>();
    private Consumer<Integer> onSleep = n -> { };
    private IngestLimits limits = new IngestLimits(2_000_000, 20, Duration.ofSeconds(120));

    private UploadIngestor ingestor() {
        Sleeper sleeper = d -> {
            slept.add(d);
            onSleep.accept(slept.size());
        };
        return new UploadIngestor(jobs, queue, reports, IngestFakes.NO_METRICS, bucket, new SampleRules(new AudioProbe(), limits),
                new ArrivalWait(3, Duration.ofSeconds(1)), sleeper,
                Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));
    }

    private IngestResult ingest(UploadedObject upload) {
        return ingestor().ingest(upload);
    }

    private Job job(IngestResult r) {
        return jobs.find(r.jobId()).orElseThrow();
    }

    private void assertRejected(IngestResult r, String... reasonParts) {
        Job job = job(r);
        assertEquals(JobStatus.REJECTED, job.status(), job.toString());
        String all = String.join("\n", job.reasons());
        for (String part : reasonParts) {
            assertTrue(all.contains(part), "expected '" + part + "' in:\n" + all);
        }
        assertEquals(String.join("; ", job.reasons()), job.error().message());
        assertTrue(job.samples().isEmpty());
        assertFalse(queue.sent.contains(r.jobId()), "a rejected job must never be enqueued");
        assertEquals(1, reports.reported.stream().filter(j -> j.jobId().equals(r.jobId())).count());
    }

    @Test
    void aSingleFileIsOneModelPinnedToTheCheckedVersion() {
        UploadedObject up = bucket.put("incoming/Narrator Alice.wav", wav(31, 16_000));
        IngestResult r = ingest(up);
        Job job = job(r);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals("Narrator Alice", job.spec().title());
        assertEquals(List.of(new Sample(up.key(), up.versionId(), up.sizeBytes(), null)), job.samples());
        assertEquals(List.of(), job.warnings());
        assertEquals(List.of(r.jobId()), queue.sent);
        assertEquals(List.of(JobSubmitter.HAND_OVER_DELAY), queue.delays, "visible once enqueuedAt is recorded");
        assertTrue(jobs.find(r.jobId()).orElseThrow().enqueuedAt() != null);
        assertEquals(JobStatus.QUEUED, reports.reported.get(0).status());
    }

    @Test
    void singleFilesThatCannotWorkAreRejectedWithoutReadingMore() {
        assertRejected(ingest(bucket.put("incoming/notes.txt", "hello")), "notes.txt: not an audio file name");
        assertRejected(ingest(bucket.put("incoming/fake.wav", "just some text, renamed")), "fake.wav: not audio: text");
        assertRejected(ingest(bucket.put("incoming/empty.wav", new byte[0])), "empty.wav: the file is empty (0 bytes)");
        byte[] broken = wav(1, 16_000);
        broken[12] = 'x'; // no fmt chunk any more
        assertRejected(ingest(bucket.put("incoming/broken.wav", broken)), "broken.wav: damaged or truncated");
        limits = new IngestLimits(1000, 20, Duration.ofSeconds(120));
        int before = bucket.ranges.get();
        assertRejected(ingest(bucket.put("incoming/big.wav", wav(1, 16_000))), "big.wav: 32044 bytes is over the limit of 1000");
        assertEquals(before, bucket.ranges.get(), "an oversized sample is not even probed");
        assertTrue(queue.sent.isEmpty());
    }

    @Test
    void warningsDoNotBlockASingleFileAndLongAudioIsOverTheTotal() {
        IngestResult r = ingest(bucket.put("incoming/short.wav", wav(5, 8_000)));
        Job job = job(r);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(2, job.warnings().size(), job.warnings().toString());
        assertTrue(job.warnings().get(0).contains("sample rate 8000 Hz is under the recommended 16 kHz"));
        assertTrue(job.warnings().get(1).contains("5.0 s long, under the recommended 30 s"));
        limits = new IngestLimits(2_000_000, 20, Duration.ofSeconds(20));
        assertRejected(ingest(bucket.put("incoming/long.wav", wav(30, 8_000))), "total duration 30.0 s is over the limit of 20.0 s");
    }

    @Test
    void folderFilesWaitForTheManifestAndNestedManifestsAreOrdinaryFiles() {
        IngestResult r = ingest(bucket.put("incoming/alice/take1.wav", wav(31, 16_000)));
        assertNull(r.jobId());
        IngestResult nested = ingest(bucket.put("incoming/alice/sub/model.json", "{}"));
        assertNull(nested.jobId());
        assertTrue(jobs.isEmpty());
        assertEquals(0, bucket.calls(), "nothing is read before the manifest arrives");
    }

    @Test
    void withoutAListEveryVisibleAudioFileAtAnyDepthIsASample() {
        bucket.put("incoming/alice/b.wav", wav(31, 16_000));
        bucket.put("incoming/alice/a.wav", wav(31, 16_000));
        bucket.put("incoming/alice/sub/deeper/c.wav", wav(31, 16_000));
        bucket.put("incoming/alice/notes.txt", "ignored");
        bucket.put("incoming/alice/._a.wav", "macOS resource fork, ignored");
        bucket.put("incoming/alice/.trash/x.wav", "ignored");
        bucket.put("incoming/alice2/other.wav", wav(31, 16_000));
        UploadedObject manifest = bucket.put("incoming/alice/model.json", "{\"tags\": [\"en\"]}");
        Job job = job(ingest(manifest));
        assertEquals(JobStatus.QUEUED, job.status(), job.toString());
        assertEquals("alice", job.spec().title());
        assertEquals(List.of("en"), job.spec().tags());
        assertEquals(List.of("incoming/alice/a.wav", "incoming/alice/b.wav", "incoming/alice/sub/deeper/c.wav"),
                job.samples().stream().map(Sample::key).toList());
        assertTrue(job.samples().stream().allMatch(s -> s.versionId() != null && s.text() == null));
        assertEquals("incoming/alice/model.json", job.sourceKeys().get(job.sourceKeys().size() - 1),
                "the manifest is the last source key, so the report is status/alice/model.json.json");
        assertEquals(List.of(job.jobId()), queue.sent);
    }

    @Test
    void withoutAListTheFolderMustStopChangingBeforeItCounts() {
        bucket.put("incoming/parallel/a.wav", wav(31, 16_000));
        UploadedObject manifest = bucket.put("incoming/parallel/model.json", "{}");
        onSleep = n -> {
            if (n == 1) {
                bucket.put("incoming/parallel/b.wav", wav(31, 16_000)); // still uploading when the manifest landed
            }
        };
        Job job = job(ingest(manifest));
        assertEquals(List.of("incoming/parallel/a.wav", "incoming/parallel/b.wav", "incoming/parallel/model.json"),
                job.sourceKeys());
        assertEquals(2, slept.size(), "one listing more after the change, then the folder was stable");
    }

    @Test
    void aListedManifestUsesExactlyItsFilesInOrderWithTexts() {
        bucket.put("incoming/bob/one.wav", wav(31, 16_000));
        bucket.put("incoming/bob/two.wav", wav(31, 16_000));
        bucket.put("incoming/bob/unused.wav", "not audio but not listed, so never read");
        UploadedObject manifest = bucket.put("incoming/bob/model.json", """
                {"title": "Bob", "language": "en", "samples": [{"file": "two.wav", "text": "Second."},
                 {"file": "one.wav", "text": "First."}]}""");
        Job job = job(ingest(manifest));
        assertEquals(JobStatus.QUEUED, job.status(), job.toString());
        assertEquals(List.of("Second.", "First."), job.samples().stream().map(Sample::text).toList());
        assertEquals(List.of("incoming/bob/two.wav", "incoming/bob/one.wav", "incoming/bob/model.json"),
                job.sourceKeys());
        assertEquals("en", job.spec().language());
        assertTrue(slept.isEmpty());
    }

    @Test
    void aListedSampleThatArrivesLateIsWaitedFor() {
        bucket.put("incoming/late/a.wav", wav(31, 16_000));
        UploadedObject manifest = bucket.put("incoming/late/model.json", "{\"samples\": [\"a.wav\", \"b.wav\"]}");
        onSleep = n -> {
            if (n == 2) {
                bucket.put("incoming/late/b.wav", wav(31, 16_000));
            }
        };
        Job job = job(ingest(manifest));
        assertEquals(JobStatus.QUEUED, job.status(), job.toString());
        assertEquals(2, job.samples().size());
        assertEquals(2, slept.size(), "stops waiting once everything is there");
    }

    @Test
    void aListedSampleThatNeverArrivesIsNamedAfterTheWait() {
        bucket.put("incoming/gone/a.wav", wav(31, 16_000));
        UploadedObject manifest = bucket.put("incoming/gone/model.json",
                "{\"samples\": [\"a.wav\", \"missing one.wav\", \"sub/also-missing.mp3\"]}");
        IngestResult r = ingest(manifest);
        assertRejected(r, "missing one.wav: listed in model.json but not found in incoming/gone/ (waited 3.0 s for it)",
                "sub/also-missing.mp3: listed in model.json but not found");
        assertEquals(3, slept.size());
        assertEquals(List.of("incoming/gone/a.wav", "incoming/gone/model.json"), job(r).sourceKeys());
    }

    @Test
    void tooManySamplesAreRejectedWithoutCheckingEachOne() {
        for (int i = 0; i < 25; i++) {
            bucket.put(String.format("incoming/many/s%03d.wav", i), wav(1, 8_000));
        }
        UploadedObject manifest = bucket.put("incoming/many/model.json", "{}");
        int before = bucket.calls();
        IngestResult r = ingest(manifest);
        assertRejected(r, "too many samples: 25 audio files in the folder, the limit is 20 per model");
        assertEquals(1, bucket.calls() - before, "one listing, no per-file reads");
        assertEquals(List.of("incoming/many/model.json"), job(r).sourceKeys());

        StringBuilder list = new StringBuilder("{\"samples\": [");
        for (int i = 0; i < 21; i++) {
            list.append(i == 0 ? "" : ",").append(String.format("\"s%03d.wav\"", i));
        }
        assertRejected(ingest(bucket.put("incoming/many/model.json", list + "]}")), "21 samples listed, the limit is 20");
    }

    @Test
    void anEmptyFolderOrOneWithoutAudioIsRejected() {
        assertRejected(ingest(bucket.put("incoming/empty/model.json", "{}")), "no audio files in incoming/empty/");
        bucket.put("incoming/docs/readme.txt", "no audio here");
        assertRejected(ingest(bucket.put("incoming/docs/model.json", "{}")), "no audio files in incoming/docs/");
    }

    @Test
    void everyReasonIsReportedAtOnce() {
        bucket.put("incoming/mixed/good.wav", wav(31, 16_000));
        bucket.put("incoming/mixed/fake.wav", "plain text pretending to be audio");
        bucket.put("incoming/mixed/empty.wav", new byte[0]);
        UploadedObject manifest = bucket.put("incoming/mixed/model.json", "{\"titel\": \"x\", \"visibility\": 3}");
        IngestResult r = ingest(manifest);
        assertRejected(r, "unknown field \"titel\"", "\"visibility\" must be a string", "fake.wav: not audio",
                "empty.wav: the file is empty");
        assertEquals(4, job(r).reasons().size(), job(r).reasons().toString());
    }

    @Test
    void strictTurnsWarningsIntoReasons() {
        bucket.put("incoming/strict/short.wav", wav(3, 8_000));
        Job relaxed = job(ingest(bucket.put("incoming/strict/model.json", "{\"visibility\": \"public\"}")));
        assertEquals(JobStatus.QUEUED, relaxed.status());
        assertEquals(3, relaxed.warnings().size(), relaxed.warnings().toString());
        IngestResult strict = ingest(bucket.put("incoming/strict/model.json", "{\"visibility\": \"public\", \"strict\": true}"));
        assertRejected(strict, "strict: short.wav: sample rate 8000 Hz", "strict: short.wav: 3.0 s long",
                "strict: model.json: visibility is public but there is no cover_image");
        assertTrue(job(strict).warnings().isEmpty());
    }

    @Test
    void theSameObjectTwiceIsOneJobAndIsNotCheckedAgain() {
        UploadedObject up = bucket.put("incoming/twice.wav", wav(31, 16_000));
        IngestResult first = ingest(up);
        int calls = bucket.calls();
        IngestResult second = ingest(up);
        assertEquals(first.jobId(), second.jobId());
        assertTrue(second.duplicate());
        assertEquals(calls, bucket.calls());
        assertEquals(1, queue.sent.size());

        bucket.put("incoming/late2/a.wav", wav(31, 16_000));
        UploadedObject manifest = bucket.put("incoming/late2/model.json", "{\"samples\": [\"a.wav\", \"b.wav\"]}");
        IngestResult rejected = ingest(manifest);
        int waits = slept.size();
        IngestResult again = ingest(manifest);
        assertEquals(JobStatus.REJECTED, again.status());
        assertTrue(again.duplicate());
        assertEquals(waits, slept.size(), "a repeated delivery does not wait again");
        assertFalse(queue.sent.contains(rejected.jobId()));
    }

    @Test
    void aNewManifestVersionIsANewRequest() {
        bucket.put("incoming/v/a.wav", wav(31, 16_000));
        IngestResult first = ingest(bucket.put("incoming/v/model.json", "{\"title\": \"One\"}"));
        IngestResult second = ingest(bucket.put("incoming/v/model.json", "{\"title\": \"Two\"}"));
        assertFalse(first.jobId().equals(second.jobId()));
        assertEquals("Two", job(second).spec().title());
        assertEquals(2, queue.sent.size());
    }

    @Test
    void anObjectReplacedOrDeletedBeforeItIsReadStartsNothing() {
        UploadedObject old = bucket.put("incoming/replaced.wav", wav(31, 16_000));
        bucket.put("incoming/replaced.wav", wav(32, 16_000));
        assertNull(ingest(old).jobId());
        UploadedObject manifest = bucket.put("incoming/del/model.json", "{}");
        bucket.delete("incoming/del/model.json");
        assertNull(ingest(manifest).jobId());
        assertTrue(jobs.isEmpty());
        assertTrue(reports.reported.isEmpty());
    }

    @Test
    void aReadFailureDecidesNothingSoTheEventIsRetried() {
        UploadedObject up = bucket.put("incoming/flaky.wav", wav(31, 16_000));
        bucket.failReads = true;
        assertThrows(UncheckedIOException.class, () -> ingest(up));
        assertTrue(jobs.isEmpty());
        bucket.failReads = false;
        assertEquals(JobStatus.QUEUED, ingest(up).status());
    }

    @Test
    void aManifestTooLargeToReadIsRejected() {
        bucket.put("incoming/huge/a.wav", wav(31, 16_000));
        IngestResult r = ingest(bucket.put("incoming/huge/model.json", "{\"description\": \"" + "x".repeat(300_000) + "\"}"));
        assertRejected(r, "model.json: 300019 bytes is over the limit of 262144 bytes");
    }
}
