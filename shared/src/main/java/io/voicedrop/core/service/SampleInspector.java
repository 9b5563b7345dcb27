package io.voicedrop.core.service;

import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.AudioProbeException;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one sample from its headers only (a few ranged reads through {@link AudioProbe}): what cannot work
 * becomes a problem, what the contract advises against becomes a warning. Reference section 3: the proxy
 * recommends more than 30 s per sample and at least 16 kHz; the official formats are wav, mp3, m4a and opus.
 */
final class SampleInspector {

    static final Duration RECOMMENDED_MIN_DURATION = Duration.ofSeconds(30);
    static final int RECOMMENDED_MIN_RATE_HZ = 16_000;
    static final Set<AudioFormat> CONTRACT_FORMATS =
            Set.of(AudioFormat.WAV, AudioFormat.MP3, AudioFormat.M4A_AAC, AudioFormat.M4A_OTHER, AudioFormat.OGG_OPUS);

    private final UploadStore store;
    private final AudioProbe probe;
    private final IngestLimits limits;

    SampleInspector(UploadStore store, AudioProbe probe, IngestLimits limits) {
        this.store = store;
        this.probe = probe;
        this.limits = limits;
    }

    /**
     * Adds what is wrong with {@code object} (shown to the user as {@code name}) to {@code findings}; returns what
     * the probe found, or empty when the sample is unusable.
     *
     * @throws UncheckedIOException when the bytes could not be read: a retry may succeed, so this is no rejection
     */
    Optional<AudioInfo> inspect(UploadedObject object, String name, Findings findings) {
        if (!UploadLayout.looksLikeAudio(object.key())) {
            findings.problem(name + ": not an audio file name (expected one of " + extensions() + ")");
            return Optional.empty();
        }
        if (object.sizeBytes() == 0) {
            findings.problem(name + ": the file is empty (0 bytes)");
            return Optional.empty();
        }
        if (object.sizeBytes() > limits.maxSampleBytes()) {
            findings.problem(name + ": " + object.sizeBytes() + " bytes is over the limit of "
                    + limits.maxSampleBytes() + " bytes per sample");
            return Optional.empty();
        }
        AudioInfo info;
        try {
            info = probe.probe(store.open(object));
        } catch (AudioProbeException e) {
            if (e.reason() == AudioProbeException.Reason.IO_ERROR) {
                throw new UncheckedIOException(new IOException("could not read " + object.key(), e));
            }
            findings.problem(name + ": " + describe(e));
            return Optional.empty();
        }
        warnAbout(info, name, findings);
        return Optional.of(info);
    }

    private static void warnAbout(AudioInfo info, String name, Findings findings) {
        if (!CONTRACT_FORMATS.contains(info.format())) {
            findings.warning(name + ": " + info.format() + " (" + info.codec() + ") is not one of the formats the "
                    + "upstream documents (wav, mp3, m4a, opus); it may refuse it");
        }
        if (info.sampleRateHz() < RECOMMENDED_MIN_RATE_HZ) {
            findings.warning(name + ": sample rate " + info.sampleRateHz() + " Hz is under the recommended 16 kHz");
        }
        if (info.duration() == null) {
            findings.warning(name + ": the duration could not be read from the headers; it is not counted in "
                    + "the total");
        } else if (info.duration().compareTo(RECOMMENDED_MIN_DURATION) < 0) {
            findings.warning(name + ": " + seconds(info.duration()) + " long, under the recommended 30 s per sample");
        }
    }

    private static String describe(AudioProbeException e) {
        switch (e.reason()) {
            case EMPTY:
                return "the file is empty (0 bytes)";
            case NOT_AUDIO:
                return e.getMessage().startsWith("not ") ? e.getMessage() : "not audio: " + e.getMessage();
            case CORRUPT_HEADER:
                return "damaged or truncated audio header: " + e.getMessage();
            default:
                return "unsupported audio: " + e.getMessage();
        }
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String extensions() {
        return String.join(", ", UploadLayout.AUDIO_EXTENSIONS.stream().sorted().toList());
    }
}
