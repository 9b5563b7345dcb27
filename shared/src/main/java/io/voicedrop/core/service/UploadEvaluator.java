package io.voicedrop.core.service;

import io.voicedrop.audio.AudioInfo;
import io.voicedrop.core.ingest.Manifest;
import io.voicedrop.core.ingest.ManifestParser;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import io.voicedrop.core.quality.QualityCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what an upload asks for and whether it can work, before anything is billed: groups a folder's files
 * under its manifest, reads the manifest, probes every sample and applies the limits, reading only metadata, the
 * manifest and audio headers. Only an upload that passes all of that is listened to (the quality check streams
 * each sample once, several at a time; see docs/architecture.md, "Voice-quality analysis").
 */
final class UploadEvaluator {

    static final int MAX_MANIFEST_BYTES = 256 * 1024;
    /** Listing stops here (10 pages): a folder this full is rejected without reading further. */
    static final int MAX_LISTED_OBJECTS = 10_000;

    private final UploadStore store;
    private final SampleInspector inspector;
    private final SampleRules rules;
    private final ArrivalWait arrivalWait;
    private final Sleeper sleeper;

    UploadEvaluator(UploadStore store, SampleRules rules, ArrivalWait arrivalWait,
                    Sleeper sleeper) {
        this.store = store;
        this.rules = rules;
        this.inspector = new SampleInspector(store, rules);
        this.arrivalWait = arrivalWait;
        this.sleeper = sleeper;
    }

    /** A sample to be: where it is and how the user calls it. */
    private record Candidate(UploadedObject object, String name, String text) {
    }

    /** {@code incoming/<name>.<ext>}: one model, one sample, titled after the file. */
    IngestDecision singleFile(UploadedObject upload) {
        ModelSpec spec = ModelSpec.titled(UploadLayout.baseName(upload.key()));
        Findings findings = new Findings();
        String name = UploadLayout.fileName(upload.key());
        if (!UploadLayout.looksLikeAudio(upload.key())) {
            inspector.inspect(upload, name, findings); // names the problem without reading anything
            return findings.decide(spec, List.of(upload.key()), List.of(), false);
        }
        Optional<UploadedObject> current = store.find(upload.bucket(), upload.key());
        if (current.isEmpty()) {
            return new IngestDecision.Skip("deleted before it could be checked");
        }
        if (!sameContent(current.get(), upload)) {
            return new IngestDecision.Skip("replaced by a newer upload, which is ingested on its own");
        }
        UploadedObject object = current.get();
        Optional<AudioInfo> info = inspector.inspect(object, name, findings);
        info.ifPresent(i -> checkTotal(i.duration(), findings));
        info.ifPresent(i -> listen(List.of(item(name, i, object)), findings));
        List<Sample> samples = List.of(new Sample(object.key(), object.versionId(), object.sizeBytes(), null));
        return findings.decide(spec, List.of(upload.key()), samples, rules.strictByDefault());
    }

    /** {@code incoming/<folder>/model.json}: one model from the folder's samples, as the manifest describes. */
    IngestDecision folder(UploadedObject manifestUpload) {
        String key = manifestUpload.key();
        String prefix = UploadLayout.folderPrefix(key);
        ModelSpec fallbackSpec = ModelSpec.titled(UploadLayout.folderName(key));
        Optional<byte[]> bytes;
        try {
            bytes = store.readSmall(manifestUpload, MAX_MANIFEST_BYTES);
        } catch (UploadStore.TooLarge e) {
            return new IngestDecision.Reject(fallbackSpec, List.of(key), List.of(ManifestParser.NAME + ": "
                    + e.sizeBytes() + " bytes is over the limit of " + MAX_MANIFEST_BYTES + " bytes"), List.of());
        }
        if (bytes.isEmpty()) {
            return new IngestDecision.Skip("model.json was deleted or replaced before it could be read");
        }
        ManifestParser.Result parsed = ManifestParser.parse(bytes.get());
        Manifest manifest = parsed.manifest();
        ModelSpec spec = manifest.spec(UploadLayout.folderName(key));
        Findings findings = new Findings();
        findings.problems(parsed.problems());
        if ("public".equals(spec.visibility()) && spec.coverImage().isEmpty()) {
            findings.warning(ManifestParser.NAME + ": visibility is public but there is no cover_image; the official"
                    + " API requires one for public models");
        }
        boolean strict = manifest.strictOr(rules.strictByDefault());
        if (!parsed.samplesUsable()) {
            return findings.decide(spec, manifest.options(), List.of(key), List.of(), strict);
        }
        List<Candidate> candidates = manifest.samples() != null
                ? listedSamples(manifestUpload.bucket(), prefix, manifest.samples(), findings)
                : everyAudioFile(manifestUpload.bucket(), prefix, key, findings);
        List<Sample> samples = new ArrayList<>();
        List<QualityCheck.Item> toListen = new ArrayList<>();
        Duration total = Duration.ZERO;
        for (Candidate c : candidates) {
            Optional<AudioInfo> info = inspector.inspect(c.object(), c.name(), findings);
            if (info.isPresent() && info.get().duration() != null) {
                total = total.plus(info.get().duration());
            }
            info.ifPresent(i -> toListen.add(item(c.name(), i, c.object())));
            samples.add(new Sample(c.object().key(), c.object().versionId(), c.object().sizeBytes(), c.text()));
        }
        checkTotal(total, findings);
        listen(toListen, findings);
        List<String> sourceKeys = new ArrayList<>(samples.stream().map(Sample::key).toList());
        sourceKeys.add(key); // last: the status report is named after the last source key
        return findings.decide(spec, manifest.options(), sourceKeys, samples, strict);
    }

    private QualityCheck.Item item(String name, AudioInfo info, UploadedObject object) {
        return new QualityCheck.Item(name, info, () -> store.stream(object));
    }

    /**
     * The quality check, only for an upload that nothing else has rejected: a rejected one is answered at header
     * speed and costs no download.
     */
    private void listen(List<QualityCheck.Item> items, Findings findings) {
        if (!findings.hasProblems() && !items.isEmpty()) {
            findings.quality(rules.listen(items, rules.listenLimit()), rules::rejectsWhenStrict);
        }
    }

    /** The files the manifest lists, in its order; missing ones are waited for a little (see {@link ArrivalWait}). */
    private List<Candidate> listedSamples(String bucket, String prefix, List<Manifest.Entry> entries, Findings findings) {
        if (entries.size() > rules.maxSamplesPerModel()) {
            findings.problem(tooMany(entries.size() + " samples listed"));
            return List.of();
        }
        Map<Manifest.Entry, UploadedObject> found = new LinkedHashMap<>();
        List<Manifest.Entry> missing = new ArrayList<>();
        for (Manifest.Entry e : entries) {
            String key = prefix + e.file();
            if (UploadLayout.utf8Length(key) > UploadLayout.MAX_KEY_BYTES) {
                findings.problem(e.file() + ": the path is longer than an S3 key can be (1024 bytes)");
                continue;
            }
            store.find(bucket, key).ifPresentOrElse(o -> found.put(e, o), () -> missing.add(e));
        }
        for (int i = 0; i < arrivalWait.rechecks() && !missing.isEmpty(); i++) {
            sleeper.sleep(arrivalWait.every());
            missing.removeIf(e -> {
                Optional<UploadedObject> arrived = store.find(bucket, prefix + e.file());
                arrived.ifPresent(o -> found.put(e, o));
                return arrived.isPresent();
            });
        }
        for (Manifest.Entry e : missing) {
            findings.problem(e.file() + ": listed in model.json but not found in " + prefix + " (waited "
                    + SampleRules.seconds(arrivalWait.total()) + " for it)");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Manifest.Entry e : entries) {
            UploadedObject o = found.get(e);
            if (o != null) {
                candidates.add(new Candidate(o, e.file(), e.text()));
            }
        }
        return candidates;
    }

    /**
     * Every audio file anywhere under the folder, hidden files excepted, in key order. A parallel upload (such as
     * {@code aws s3 cp --recursive}) may finish the small manifest before the samples, so the folder counts as
     * complete only once a listing {@link ArrivalWait#every()} later finds the same files (at most
     * {@link ArrivalWait#rechecks()} more listings).
     */
    private List<Candidate> everyAudioFile(String bucket, String prefix, String manifestKey, Findings findings) {
        Optional<List<UploadedObject>> listed = audioFiles(bucket, prefix, manifestKey, findings);
        for (int i = 0; i < arrivalWait.rechecks() && listed.isPresent(); i++) {
            sleeper.sleep(arrivalWait.every());
            Optional<List<UploadedObject>> again = audioFiles(bucket, prefix, manifestKey, findings);
            if (again.isPresent() && again.get().equals(listed.get())) {
                break;
            }
            listed = again;
        }
        if (listed.isEmpty()) {
            return List.of();
        }
        List<UploadedObject> audio = listed.get();
        if (audio.isEmpty()) {
            findings.problem("no audio files in " + prefix + " (expected files ending in one of "
                    + String.join(", ", UploadLayout.AUDIO_EXTENSIONS.stream().sorted().toList()) + ")");
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        for (UploadedObject file : audio) {
            String name = UploadLayout.inFolder(file.key());
            // Metadata again, for the version id a listing lacks: the worker then presigns exactly what was checked.
            Optional<UploadedObject> current = store.find(bucket, file.key());
            if (current.isPresent()) {
                candidates.add(new Candidate(current.get(), name, null));
            } else {
                findings.problem(name + ": deleted while the folder was being checked");
            }
        }
        return candidates;
    }

    /** The folder's audio files, or empty (with the problem noted) when there are too many to consider. */
    private Optional<List<UploadedObject>> audioFiles(String bucket, String prefix, String manifestKey,
                                                      Findings findings) {
        UploadStore.Listing listing = store.list(bucket, prefix, MAX_LISTED_OBJECTS);
        if (listing.truncated()) {
            findings.problem(tooMany("more than " + MAX_LISTED_OBJECTS + " files in the folder"));
            return Optional.empty();
        }
        List<UploadedObject> audio = listing.objects().stream()
                .filter(o -> !o.key().equals(manifestKey))
                .filter(o -> !UploadLayout.isHidden(UploadLayout.inFolder(o.key())))
                .filter(o -> UploadLayout.looksLikeAudio(o.key()))
                .toList();
        if (audio.size() > rules.maxSamplesPerModel()) {
            findings.problem(tooMany(audio.size() + " audio files in the folder"));
            return Optional.empty();
        }
        return Optional.of(audio);
    }

    private String tooMany(String what) {
        return "too many samples: " + what + ", the limit is " + rules.maxSamplesPerModel()
                + " per model (list the ones to use in model.json \"samples\")";
    }

    private void checkTotal(Duration total, Findings findings) {
        rules.totalProblem(total).ifPresent(findings::problem);
    }

    private static boolean sameContent(UploadedObject current, UploadedObject notified) {
        return notified.eTag() == null || current.eTag() == null
                || current.eTag().replace("\"", "").equals(notified.eTag().replace("\"", ""));
    }
}
