package io.voicedrop.adapters.http;

import io.voicedrop.core.port.WebhookSender;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@link WebhookSender} over {@link GuardedHttp}: the one outbound-URL guard, a bounded answer, one deadline. */
public final class GuardedWebhookSender implements WebhookSender {

    /** A receiver's answer body is read only this far; nobody looks at it. */
    static final long MAX_ANSWER_BYTES = 64 * 1024;

    private final GuardedHttp http;
    private final Clock clock;

    public GuardedWebhookSender(GuardedHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Result post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
        Instant started = Instant.now();
        try {
            GuardedHttp.Response r = http.post(url, headers, body, started.plus(timeout), MAX_ANSWER_BYTES);
            Duration retryAfter = RetryPolicy.parseRetryAfter(r.headers().firstValue("Retry-After").orElse(null), clock);
            return new Result(r.status(), null, false, retryAfter, millisSince(started));
        } catch (GuardedHttp.Failure e) {
            boolean refused = e.kind() == GuardedHttp.Kind.REFUSED;
            String problem = refused ? "refused (" + e.getMessage() + ")" : code(e.kind());
            return new Result(null, problem, refused, null, millisSince(started));
        }
    }

    private static String code(GuardedHttp.Kind kind) {
        return switch (kind) {
            case REFUSED -> "refused";
            case TIMEOUT, NO_TIME -> "timeout";
            case CONNECT_TIMEOUT -> "connect_timeout";
            case TOO_LARGE -> "answer_too_large";
            case TOO_MANY_REDIRECTS -> "too_many_redirects";
            case IO -> "connection_error";
        };
    }

    private static long millisSince(Instant started) {
        return Duration.between(started, Instant.now()).toMillis();
    }
}
