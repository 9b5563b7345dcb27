package io.voicedrop.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy atMost = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, () -> 0.999999);
    private final RetryPolicy atLeast = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, () -> 0.0);

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        assertEquals(999, atMost.delayAfter(1, null).toMillis());
        assertEquals(1999, atMost.delayAfter(2, null).toMillis());
        assertEquals(7999, atMost.delayAfter(4, null).toMillis());
        assertEquals(29_999, atMost.delayAfter(9, null).toMillis());
        assertEquals(29_999, atMost.delayAfter(60, null).toMillis(), "no overflow for large attempt counts");
    }

    @Test
    void fullJitterCanWaitZero() {
        assertEquals(0, atLeast.delayAfter(3, null).toMillis());
    }

    @Test
    void retryAfterIsAFloorEvenAboveTheCap() {
        assertEquals(Duration.ofSeconds(5), atLeast.delayAfter(1, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(120), atMost.delayAfter(1, Duration.ofSeconds(120)));
        assertEquals(1999, atMost.delayAfter(2, Duration.ofMillis(10)).toMillis(), "a short Retry-After does not shorten backoff");
    }

    @Test
    void attemptsAreBounded() {
        assertTrue(atMost.allowsAnotherAttempt(4));
        assertFalse(atMost.allowsAnotherAttempt(5));
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(7), RetryPolicy.parseRetryAfter("7", clock));
        assertEquals(Duration.ofSeconds(90), RetryPolicy.parseRetryAfter("Fri, 27 Nov 2026 10:01:30 GMT", clock));
        assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter("Fri, 27 Nov 2026 09:00:00 GMT", clock));
        assertNull(RetryPolicy.parseRetryAfter("soon", clock));
        assertNull(RetryPolicy.parseRetryAfter("-3", clock));
        assertNull(RetryPolicy.parseRetryAfter(null, clock));
    }
}
