package io.voicedrop.config;

import io.voicedrop.core.quality.Check;
import io.voicedrop.core.quality.QualitySettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of VoiceDrop, read in this one place from environment variables (set by {@code template.yaml}).
 * Names and defaults are listed in docs/operations.md (Configuration).
 */
public record VoiceDropConfig(
        String bucket,
        String jobsTable,
        String modelsTable,
        String apiKeysTable,
        String jobsQueueUrl,
        String deadLetterQueueUrl,
        URI fishBaseUrl,
        String fishTokenSecretArn,
        VoicesShape voicesShape,
        Duration upstreamTimeout,
        double upstreamRequestsPerSecond,
        Duration presignExpiry,
        long maxSampleBytes,
        int maxSamplesPerModel,
        Duration maxTotalDuration,
        int maxAttempts,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration trainingPollEvery,
        Duration trainingTimeout,
        Duration pauseProbeEvery,
        String region,
        Optional<URI> awsEndpoint,
        QualitySettings quality) {

    /** How {@code voices} is sent upstream: the ADC guides show an array, its SDK spec a single string. */
    public enum VoicesShape { ARRAY, STRING }

    public static VoiceDropConfig fromEnvironment() {
        return from(System.getenv()::get);
    }

    public static VoiceDropConfig from(Map<String, String> env) {
        return from(env::get);
    }

    public static VoiceDropConfig from(Function<String, String> env) {
        EnvironmentReader r = new EnvironmentReader(env);
        return new VoiceDropConfig(
                r.required("BUCKET_NAME"),
                r.required("JOBS_TABLE"),
                r.required("MODELS_TABLE"),
                r.required("API_KEYS_TABLE"),
                r.required("JOBS_QUEUE_URL"),
                r.text("DEAD_LETTER_QUEUE_URL", ""),
                URI.create(stripSlash(r.text("FISH_BASE_URL", "https://api.acedata.cloud"))),
                r.text("FISH_TOKEN_SECRET_ARN", ""),
                VoicesShape.valueOf(r.text("VOICES_SHAPE", "array").toUpperCase(java.util.Locale.ROOT)),
                Duration.ofMillis(r.number("UPSTREAM_TIMEOUT_MS", 30_000)),
                r.decimal("UPSTREAM_REQUESTS_PER_SECOND", 2.0),
                Duration.ofSeconds(r.number("PRESIGN_EXPIRY_SECONDS", 3600)),
                r.number("MAX_SAMPLE_BYTES", 50L * 1024 * 1024),
                (int) r.number("MAX_SAMPLES_PER_MODEL", 20),
                Duration.ofSeconds(r.number("MAX_TOTAL_DURATION_SECONDS", 1800)),
                (int) r.number("MAX_ATTEMPTS", 8),
                Duration.ofMillis(r.number("RETRY_BASE_DELAY_MS", 1000)),
                Duration.ofMillis(r.number("RETRY_MAX_DELAY_MS", 300_000)),
                Duration.ofSeconds(r.number("TRAINING_POLL_SECONDS", 15)),
                Duration.ofSeconds(r.number("TRAINING_TIMEOUT_SECONDS", 1800)),
                Duration.ofSeconds(r.number("PAUSE_PROBE_SECONDS", 300)),
                r.text("AWS_REGION", r.text("AWS_DEFAULT_REGION", "us-east-1")),
                Optional.ofNullable(r.text("AWS_ENDPOINT_URL", null)).map(URI::create),
                quality(r));
    }

    /** The voice-quality check (docs/operations.md, "Voice-quality check"). */
    private static QualitySettings quality(EnvironmentReader r) {
        QualitySettings d = QualitySettings.DEFAULTS;
        String checks = r.text("QUALITY_STRICT_CHECKS",
                String.join(",", d.strictChecks().stream().map(Check::id).toList()));
        java.util.Set<Check> strictChecks;
        try {
            strictChecks = Check.parseList(checks);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable QUALITY_STRICT_CHECKS: " + e.getMessage());
        }
        double minLufs = r.decimal("QUALITY_MIN_LOUDNESS_LUFS", d.minLoudnessLufs());
        double maxLufs = r.decimal("QUALITY_MAX_LOUDNESS_LUFS", d.maxLoudnessLufs());
        if (minLufs >= maxLufs) {
            throw new IllegalStateException("environment variable QUALITY_MIN_LOUDNESS_LUFS (" + minLufs
                    + ") must be below QUALITY_MAX_LOUDNESS_LUFS (" + maxLufs + ")");
        }
        return new QualitySettings(
                r.flag("QUALITY_CHECK", d.enabled()),
                r.flag("STRICT_BY_DEFAULT", d.strictByDefault()),
                strictChecks,
                r.decimal("QUALITY_MIN_SPEECH_SECONDS", d.minSpeechSeconds()),
                r.decimal("QUALITY_MAX_SILENCE_PERCENT", d.maxSilencePercent()),
                r.decimal("QUALITY_MAX_CLIPPED_PERCENT", d.maxClippedPercent()),
                r.decimal("QUALITY_MAX_DC_OFFSET_PERCENT", d.maxDcOffsetPercent()),
                minLufs,
                maxLufs,
                r.decimal("QUALITY_MIN_SNR_DB", d.minSnrDb()),
                Duration.ofSeconds(r.number("QUALITY_TIME_LIMIT_SECONDS", d.timeLimit().toSeconds(), 1, 840)),
                r.number("QUALITY_MAX_AUDIO_SECONDS", (long) d.maxAudioSeconds(), 1, 36_000),
                (int) r.number("QUALITY_THREADS", d.threads(), 1, 64));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
