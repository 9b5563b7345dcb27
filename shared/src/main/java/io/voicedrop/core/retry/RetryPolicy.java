package io.voicedrop.core.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * The one retry policy of VoiceDrop: exponential backoff with full jitter, capped, never shorter than what upstream
 * asked for in {@code Retry-After}. Full jitter (a uniform wait between zero and the exponential ceiling) spreads a
 * fleet of workers that failed together, so they do not come back together.
 */
public final class RetryPolicy {

    private final Duration baseDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final DoubleSupplier random;

    public RetryPolicy(Duration baseDelay, Duration maxDelay, int maxAttempts, DoubleSupplier random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** True while another attempt is allowed after {@code attemptsMade} attempts. */
    public boolean allowsAnotherAttempt(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * How long to wait after the {@code attemptsMade}-th failed attempt.
     *
     * @param retryAfter what upstream asked for, or null
     */
    public Duration delayAfter(int attemptsMade, Duration retryAfter) {
        int exponent = Math.max(0, Math.min(attemptsMade - 1, 30));
        long ceilingMs = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << exponent));
        Duration jittered = Duration.ofMillis((long) (random.getAsDouble() * ceilingMs));
        if (retryAfter != null && retryAfter.compareTo(jittered) > 0) {
            return retryAfter;
        }
        return jittered;
    }

    /**
     * Reads an HTTP {@code Retry-After} value: delta seconds or an HTTP date. Returns null when absent or unreadable,
     * so a malformed header falls back to plain backoff instead of failing the call.
     */
    public static Duration parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(clock.instant(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
