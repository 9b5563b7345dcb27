package io.voicedrop.core.quality;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Thresholds and bounds of the voice-quality check (docs/operations.md, "Voice-quality check"). Read from the
 * environment by {@code VoiceDropConfig}; the defaults below are the documented ones.
 *
 * @param enabled          false skips the analysis (header checks only)
 * @param strictByDefault  whether an upload whose manifest does not say {@code strict} (a single file, an API
 *                         create) is strict
 * @param strictChecks     the findings a strict upload is rejected for; the others stay warnings
 * @param timeLimit        wall time for analysing all samples of one upload together
 * @param maxAudioSeconds  most audio analysed per sample; a longer one is analysed up to here
 * @param threads          samples analysed at once
 */
public record QualitySettings(boolean enabled, boolean strictByDefault, Set<Check> strictChecks,
                              double minSpeechSeconds, double maxSilencePercent, double maxClippedPercent,
                              double maxDcOffsetPercent, double minLoudnessLufs, double maxLoudnessLufs,
                              double minSnrDb, Duration timeLimit, double maxAudioSeconds, int threads) {

    public static final Set<Check> DEFAULT_STRICT_CHECKS =
            EnumSet.of(Check.SPEECH, Check.CLIPPING, Check.LOUDNESS, Check.NOISE, Check.CHANNELS, Check.DAMAGED);

    public static final QualitySettings DEFAULTS = new QualitySettings(true, false, DEFAULT_STRICT_CHECKS, 30, 50,
            0.1, 1, -35, -10, 15, Duration.ofSeconds(30), 600, 4);

    /** Header checks only: what a deployment gets with {@code QUALITY_CHECK=false}. */
    public static final QualitySettings OFF = DEFAULTS.withEnabled(false);

    public QualitySettings {
        strictChecks = strictChecks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(strictChecks);
        if (timeLimit.isNegative() || timeLimit.isZero() || maxAudioSeconds <= 0 || threads < 1) {
            throw new IllegalArgumentException("quality bounds must be positive: " + timeLimit + ", "
                    + maxAudioSeconds + ", " + threads);
        }
        if (minLoudnessLufs >= maxLoudnessLufs) {
            throw new IllegalArgumentException("the loudness range is empty: " + minLoudnessLufs + " to "
                    + maxLoudnessLufs + " LUFS");
        }
    }

    public QualitySettings withEnabled(boolean on) {
        return new QualitySettings(on, strictByDefault, strictChecks, minSpeechSeconds, maxSilencePercent,
                maxClippedPercent, maxDcOffsetPercent, minLoudnessLufs, maxLoudnessLufs, minSnrDb, timeLimit,
                maxAudioSeconds, threads);
    }

    /** Whether a strict upload is rejected for {@code finding}. */
    public boolean rejectsWhenStrict(Finding finding) {
        return finding.check() != null && strictChecks.contains(finding.check());
    }
}
