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
        boolean allowLocalUrls,
        Notifications notifications,
        Previews previews,
        Optional<Duration> sampleRetention,
        QualitySettings quality) {

    /**
     * Job state-change events and webhooks (docs/operations.md, "Notifications").
     *
     * @param eventBusName          the EventBridge bus job state changes go to ({@code default} or a stack's bus)
     * @param webhooksQueueUrl      deliveries waiting for their (next) attempt
     * @param webhooksDeadLetterQueueUrl deliveries that failed for the whole retry window
     * @param webhookSecretArn      the Secrets Manager secret that signs deliveries ({@code whsec_...})
     * @param webhookTimeout        one delivery attempt, connect to last byte
     * @param webhookRetryWindow    how long failed deliveries are retried before they are dead-lettered
     * @param webhookRetryBaseDelay first backoff ceiling (full jitter, doubling)
     * @param webhookRetryMaxDelay  largest backoff ceiling
     */
    public record Notifications(String eventBusName, String webhooksQueueUrl, String webhooksDeadLetterQueueUrl,
                                String webhookSecretArn, Duration webhookTimeout, Duration webhookRetryWindow,
                                Duration webhookRetryBaseDelay, Duration webhookRetryMaxDelay) {
    }

    /**
     * Spoken previews ({@code POST /fish/tts} once a model is trained).
     *
     * @param defaultText text spoken for jobs that give no {@code preview_text}; empty: no preview unless asked
     * @param maxBytes    largest preview audio accepted from upstream's {@code audio_url}
     */
    public record Previews(String defaultText, long maxBytes) {
    }

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
                allowLocalUrls(r),
                new Notifications(
                        r.text("EVENT_BUS_NAME", "default"),
                        r.text("WEBHOOKS_QUEUE_URL", ""),
                        r.text("WEBHOOKS_DEAD_LETTER_QUEUE_URL", ""),
                        r.text("WEBHOOK_SECRET_ARN", ""),
                        Duration.ofSeconds(r.number("WEBHOOK_TIMEOUT_SECONDS", 10, 1, 30)),
                        Duration.ofSeconds(r.number("WEBHOOK_RETRY_WINDOW_SECONDS", 86_400, 1, 7 * 86_400)),
                        Duration.ofMillis(r.number("WEBHOOK_RETRY_BASE_DELAY_MS", 5_000, 1, 3_600_000)),
                        Duration.ofMillis(r.number("WEBHOOK_RETRY_MAX_DELAY_MS", 7_200_000, 1, 43_200_000))),
                new Previews(
                        r.text("DEFAULT_PREVIEW_TEXT", ""),
                        r.number("PREVIEW_MAX_BYTES", 5L * 1024 * 1024, 1024, 50L * 1024 * 1024)),
                sampleRetention(r.text("SAMPLE_RETENTION", "keep")),
                quality(r));
    }

    /**
     * The one setting that relaxes the outbound-URL guard ({@code io.voicedrop.adapters.http.OutboundGuard}) for local
     * runs and tests: plain http and loopback/private addresses for voice URLs, webhooks and preview audio.
     * {@code ALLOW_LOCAL_URLS=true}, or its first name {@code API_ALLOW_LOCAL_VOICE_URLS=true} (true in either
     * relaxes). Never in AWS.
     */
    public static boolean allowLocalUrls(EnvironmentReader r) {
        return r.flag("ALLOW_LOCAL_URLS", false) || r.flag("API_ALLOW_LOCAL_VOICE_URLS", false);
    }

    /**
     * {@code SAMPLE_RETENTION}: {@code keep} (samples stay until their voice is deleted) or a number of days after
     * which the samples of a job that ended are removed.
     */
    static Optional<Duration> sampleRetention(String value) {
        if (value.equalsIgnoreCase("keep")) {
            return Optional.empty();
        }
        try {
            long days = Long.parseLong(value);
            if (days >= 1 && days <= 3650) {
                return Optional.of(Duration.ofDays(days));
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalStateException("environment variable SAMPLE_RETENTION must be keep or a number of days"
                + " from 1 to 3650, got: " + value);
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
