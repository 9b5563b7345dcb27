package io.voicedrop.api;

import java.time.Duration;
import java.util.Map;
import io.voicedrop.config.EnvironmentReader;
import java.util.function.Function;

/**
 * The API function's own settings, from environment variables (defaults in brackets):
 * <ul>
 *   <li>{@code API_RATE_LIMIT_PER_MINUTE} [1200]: requests one API key may make per clock minute (fixed window,
 *       counted in the API keys table); {@code 0} turns the per-key limit off. A key created with its own limit
 *       ({@code scripts/api-keys.sh create --rate-limit N}) uses that instead.</li>
 *   <li>{@code API_ALLOW_PRIVATE_VOICE_URLS} [false]: lets {@code POST /fish/model} download voice URLs from
 *       loopback, private and link-local addresses. Only for local development: in AWS it would open the function to
 *       server-side request forgery.</li>
 *   <li>{@code API_VOICE_DOWNLOAD_MAX_BYTES} [20971520, 20 MiB]: largest voice URL download (also capped by
 *       {@code MAX_SAMPLE_BYTES}).</li>
 *   <li>{@code API_IDEMPOTENCY_HOURS} [24]: how long a request (its {@code Idempotency-Key}, or its exact body)
 *       keeps answering with the job it created.</li>
 * </ul>
 */
public record ApiSettings(int rateLimitPerMinute, boolean allowPrivateVoiceUrls, long voiceDownloadMaxBytes,
                          Duration idempotencyWindow) {

    public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
    /** Largest request body the API reads (Lambda's own request limit is 6 MB, base64 included). */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

    public static ApiSettings defaults() {
        return from(name -> null);
    }

    public static ApiSettings fromEnvironment() {
        return from(System::getenv);
    }

    public static ApiSettings from(Map<String, String> env) {
        return from(env::get);
    }

    public static ApiSettings from(Function<String, String> env) {
        EnvironmentReader r = new EnvironmentReader(env);
        return new ApiSettings(
                (int) r.number("API_RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE, 0, 1_000_000),
                r.flag("API_ALLOW_PRIVATE_VOICE_URLS", false),
                r.number("API_VOICE_DOWNLOAD_MAX_BYTES", 20L * 1024 * 1024, 1024, 1L << 31),
                Duration.ofHours(r.number("API_IDEMPOTENCY_HOURS", 24, 1, 24 * 30)));
    }

    public ApiSettings withRateLimit(int perMinute) {
        return new ApiSettings(perMinute, allowPrivateVoiceUrls, voiceDownloadMaxBytes, idempotencyWindow);
    }

    public ApiSettings withPrivateVoiceUrls(boolean allow) {
        return new ApiSettings(rateLimitPerMinute, allow, voiceDownloadMaxBytes, idempotencyWindow);
    }
}
