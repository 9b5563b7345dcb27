package io.voicedrop.api;

import io.voicedrop.config.EnvironmentReader;
import io.voicedrop.config.VoiceDropConfig;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The API function's own settings, from environment variables (defaults in brackets):
 * <ul>
 *   <li>{@code API_RATE_LIMIT_PER_MINUTE} [1200]: requests one API key may make per clock minute (fixed window,
 *       counted in the API keys table); {@code 0} turns the per-key limit off. A key created with its own limit
 *       ({@code scripts/api-keys.sh create --rate-limit N}) uses that instead.</li>
 *   <li>{@code ALLOW_LOCAL_URLS} (first name {@code API_ALLOW_LOCAL_VOICE_URLS}) [false]: lets
 *       {@code POST /fish/model} download voice URLs (and accept {@code callback_url}s) over plain {@code http} and
 *       from loopback, private and link-local addresses; the same one setting of the outbound-URL guard that the
 *       other functions read ({@link VoiceDropConfig#allowLocalUrls(EnvironmentReader)}). Only for local runs and
 *       tests: in AWS it would open the functions to server-side request forgery (instance metadata, VPC hosts).</li>
 *   <li>{@code API_VOICE_DOWNLOAD_MAX_BYTES} [20971520, 20 MiB]: largest voice URL download (also capped by
 *       {@code MAX_SAMPLE_BYTES}).</li>
 *   <li>{@code API_IDEMPOTENCY_HOURS} [24]: how long a request (its {@code Idempotency-Key}, or its exact body)
 *       keeps answering with the job it created.</li>
 *   <li>{@code API_CREATE_WAIT_SECONDS} [24]: how long {@code POST /fish/model} may take in all (downloading voice
 *       URLs, then waiting for the worker's create) before it answers {@code 202} with the job instead of
 *       {@code 201} with the model. It must stay below the function's timeout (29 s) and API Gateway's (30 s);
 *       {@code 0} answers {@code 202} at once.</li>
 * </ul>
 */
public record ApiSettings(int rateLimitPerMinute, boolean allowLocalVoiceUrls, long voiceDownloadMaxBytes,
                          Duration idempotencyWindow, Duration createWait) {

    public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
    /**
     * Largest request body VoiceDrop reads: 4 MiB. Lambda refuses an invocation over 6 MB, and an HTTP API event
     * carries a binary body base64-encoded (4 bytes per 3) next to the headers and request context, so about 4.4 MiB
     * of multipart is the most that can ever arrive. A smaller, round limit answers the documented 413 envelope
     * instead of API Gateway's own error for everything up to that edge.
     */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    static final int MAX_CREATE_WAIT_SECONDS = 27;

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
                VoiceDropConfig.allowLocalUrls(r),
                r.number("API_VOICE_DOWNLOAD_MAX_BYTES", 20L * 1024 * 1024, 1024, 1L << 31),
                Duration.ofHours(r.number("API_IDEMPOTENCY_HOURS", 24, 1, 24 * 30)),
                Duration.ofSeconds(r.number("API_CREATE_WAIT_SECONDS", 24, 0, MAX_CREATE_WAIT_SECONDS)));
    }

    public ApiSettings withRateLimit(int perMinute) {
        return new ApiSettings(perMinute, allowLocalVoiceUrls, voiceDownloadMaxBytes, idempotencyWindow, createWait);
    }

    public ApiSettings withLocalVoiceUrls(boolean allow) {
        return new ApiSettings(rateLimitPerMinute, allow, voiceDownloadMaxBytes, idempotencyWindow, createWait);
    }

    public ApiSettings withCreateWait(Duration wait) {
        return new ApiSettings(rateLimitPerMinute, allowLocalVoiceUrls, voiceDownloadMaxBytes, idempotencyWindow,
                wait);
    }
}
