package io.voicedrop.core.service;

import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.AudioProbeException;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.quality.Finding;
import io.voicedrop.core.quality.QualityCheck;
import io.voicedrop.core.quality.QualitySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a voice sample must be before money is spent on it, whichever way it arrived (a bucket upload or
 * {@code POST /fish/model}): what cannot work is a problem, what the contract advises against is a warning.
 * Reference section 3: the proxy recommends more than 30 s per sample and at least 16 kHz; the official formats are
 * wav, mp3, m4a and opus. {@link #check} reads only headers ({@link AudioProbe}), so a bucket sample costs a few
 * ranged reads; {@link #listen} then decodes the samples that passed and measures how they sound
 * ({@link QualityCheck}), when the deployment has the quality check on.
 */
public final class SampleRules {

    static final Duration RECOMMENDED_MIN_DURATION = Duration.ofSeconds(30);
    static final int RECOMMENDED_MIN_RATE_HZ = 16_000;
    static final Set<AudioFormat> CONTRACT_FORMATS =
            Set.of(AudioFormat.WAV, AudioFormat.MP3, AudioFormat.M4A_AAC, AudioFormat.M4A_OTHER, AudioFormat.OGG_OPUS);

    private final AudioProbe probe;
    private final IngestLimits limits;
    private final QualityCheck quality;

    /** Header checks only (the quality check off). */
    public SampleRules(AudioProbe probe, IngestLimits limits) {
        this(probe, limits, new QualityCheck(QualitySettings.OFF));
    }

    public SampleRules(AudioProbe probe, IngestLimits limits, QualityCheck quality) {
        this.probe = probe;
        this.limits = limits;
        this.quality = quality;
    }

    /**
     * Listens to samples that passed {@link #check}, within {@code budget} (and the configured time limit).
     *
     * @throws UncheckedIOException when a sample could not be read: a retry may succeed, so this is no verdict
     */
    public QualityCheck.Outcome listen(List<QualityCheck.Item> items, Duration budget) {
        return quality.listen(items, budget);
    }

    /** Whether an upload that does not say is strict. */
    public boolean strictByDefault() {
        return quality.settings().strictByDefault();
    }

    /** Whether a strict upload is rejected for this quality finding (the deployment's chosen checks). */
    public boolean rejectsWhenStrict(Finding finding) {
        return quality.settings().rejectsWhenStrict(finding);
    }

    /** The longest {@link #listen} may take for one upload. */
    public Duration listenLimit() {
        return quality.settings().timeLimit();
    }

    /**
     * What was found in one sample.
     *
     * @param info what the probe read; null when the sample is unusable
     */
    public record Verdict(AudioInfo info, List<String> problems, List<String> warnings) {
        public Verdict {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        public Optional<AudioInfo> usable() {
            return problems.isEmpty() ? Optional.ofNullable(info) : Optional.empty();
        }
    }

    /**
     * Checks one sample of {@code sizeBytes}; {@code content} is opened only when the size allows it.
     *
     * @param name how the user knows the sample, at the start of every message
     * @throws UncheckedIOException when the bytes could not be read: a retry may succeed, so this is no verdict
     */
    public Verdict check(Supplier<ByteSource> content, long sizeBytes, String name) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (sizeBytes == 0) {
            problems.add(name + ": the file is empty (0 bytes)");
            return new Verdict(null, problems, warnings);
        }
        if (sizeBytes > limits.maxSampleBytes()) {
            problems.add(name + ": " + sizeBytes + " bytes is over the limit of " + limits.maxSampleBytes()
                    + " bytes per sample");
            return new Verdict(null, problems, warnings);
        }
        AudioInfo info;
        try {
            info = probe.probe(content.get());
        } catch (AudioProbeException e) {
            if (e.reason() == AudioProbeException.Reason.IO_ERROR) {
                throw new UncheckedIOException(new IOException("could not read " + name, e));
            }
            problems.add(name + ": " + describe(e));
            return new Verdict(null, problems, warnings);
        }
        if (!CONTRACT_FORMATS.contains(info.format())) {
            warnings.add(name + ": " + info.format() + " (" + info.codec() + ") is not one of the formats the "
                    + "upstream documents (wav, mp3, m4a, opus); it may refuse it");
        }
        if (info.sampleRateHz() < RECOMMENDED_MIN_RATE_HZ) {
            warnings.add(name + ": sample rate " + info.sampleRateHz() + " Hz is under the recommended 16 kHz");
        }
        if (info.duration() == null) {
            warnings.add(name + ": the duration could not be read from the headers; it is not counted in the total");
        } else if (info.duration().compareTo(RECOMMENDED_MIN_DURATION) < 0) {
            warnings.add(name + ": " + seconds(info.duration()) + " long, under the recommended 30 s per sample");
        }
        return new Verdict(info, problems, warnings);
    }

    /** The problem with a model whose samples last {@code total} together, if there is one. */
    public Optional<String> totalProblem(Duration total) {
        if (total != null && total.compareTo(limits.maxTotalDuration()) > 0) {
            return Optional.of("total duration " + seconds(total) + " is over the limit of "
                    + seconds(limits.maxTotalDuration()) + " per model");
        }
        return Optional.empty();
    }

    public int maxSamplesPerModel() {
        return limits.maxSamplesPerModel();
    }

    private static String describe(AudioProbeException e) {
        return switch (e.reason()) {
            case EMPTY -> "the file is empty (0 bytes)";
            case NOT_AUDIO -> e.getMessage().startsWith("not ") ? e.getMessage() : "not audio: " + e.getMessage();
            case CORRUPT_HEADER -> "damaged or truncated audio header: " + e.getMessage();
            default -> "unsupported audio: " + e.getMessage();
        };
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
