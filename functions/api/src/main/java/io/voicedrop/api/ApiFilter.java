package io.voicedrop.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.voicedrop.core.model.ApiKey;
import io.voicedrop.core.port.ApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs around every request, matched route or not.
 *
 * <p>On the way in: starts the trace id ({@link Trace}) and checks {@code Authorization: Bearer <key>} on every path
 * but {@code /openapi.yaml} and the console's files ({@code /console}, {@code /console/...}: they hold no data). The key is hashed (SHA-256, lower-case hex), looked up with
 * {@link ApiKeyStore#findByHash}, and the stored hash is compared with {@link MessageDigest#isEqual}. A missing or
 * malformed header, an unknown key or a disabled key all get the same 401 envelope, code {@code invalid_token},
 * message "The specified token is invalid or wrong.", and a bare {@code WWW-Authenticate: Bearer}: nothing says
 * which of them it was. If the key store itself fails, the answer is a 500 {@code api_error} (a retry may work).
 *
 * <p>Then the key's rate limit: a fixed one-minute window per key, counted with one atomic increment in the API
 * keys table ({@link ApiKeyStore#countRequest}). The limit is the key's own ({@link ApiKey#rateLimitPerMinute()})
 * or else {@link ApiSettings#rateLimitPerMinute()}; over it, the answer is 429 {@code too_many_requests} with
 * {@code Retry-After} (seconds to the next window). Every authenticated answer carries {@code X-RateLimit-Limit} and
 * {@code X-RateLimit-Remaining}. If the counter cannot be written, the request is let through (fail open, logged):
 * the HTTP API's own throttle still bounds the load.
 *
 * <p>On the way out: every response gets {@code X-Trace-Id}; an error response Micronaut made itself (unknown route:
 * 404 {@code no_api}, wrong method: 405 {@code method_not_allowed}, framework exceptions) gets the envelope instead of
 * Micronaut's body; the MDC entry is removed.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ApiFilter implements Ordered {

    static final String OWNER_ATTRIBUTE = "voicedrop.key_owner";
    /** The first 8 hex characters of the key's hash: how a request's key is named in records (never the key). */
    static final String KEY_ATTRIBUTE = "voicedrop.key_ref";
    private static final String RATE_ATTRIBUTE = "voicedrop.rate";
    static final String LIMIT_HEADER = "X-RateLimit-Limit";
    static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    private static final long WINDOW_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ApiFilter.class);
    private static final int MAX_TOKEN_LENGTH = 512;

    private final ApiKeyStore keys;
    private final ApiSettings settings;
    private final Clock clock;

    public ApiFilter(ApiKeyStore keys, ApiSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        Trace.start(request);
        if (OpenApiController.PATH.equals(request.getPath()) || ConsoleController.isConsolePath(request.getPath())) {
            return null;
        }
        Optional<String> token = bearerToken(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return unauthorized(request);
        }
        String hash = ApiKey.hashOf(token.get());
        Optional<ApiKey> key;
        try {
            key = keys.findByHash(hash);
        } catch (RuntimeException e) {
            LOG.error("API key lookup failed, trace_id={}", Trace.id(request), e);
            return Envelope.error(request, HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
                    Envelope.forStatus(500)[1]);
        }
        boolean valid = key.isPresent()
                && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                        key.get().keyHash().getBytes(StandardCharsets.US_ASCII))
                && key.get().enabled();
        if (!valid) {
            return unauthorized(request);
        }
        request.setAttribute(OWNER_ATTRIBUTE, key.get().owner());
        request.setAttribute(KEY_ATTRIBUTE, key.get().keyHash().substring(0, 8));
        return rateLimit(request, key.get());
    }

    private HttpResponse<?> rateLimit(HttpRequest<?> request, ApiKey key) {
        int limit = key.rateLimitPerMinute() > 0 ? key.rateLimitPerMinute() : settings.rateLimitPerMinute();
        if (limit <= 0) {
            return null;
        }
        Instant now = clock.instant();
        Instant windowStart = Instant.ofEpochSecond(now.getEpochSecond() / WINDOW_SECONDS * WINDOW_SECONDS);
        Instant windowEnd = windowStart.plusSeconds(WINDOW_SECONDS);
        long count;
        try {
            count = keys.countRequest(key.keyHash(), windowStart, windowEnd.plusSeconds(WINDOW_SECONDS));
        } catch (RuntimeException e) {
            LOG.warn("rate-limit counter unavailable, request let through: trace_id={} error={}", Trace.id(request),
                    e.toString());
            return null;
        }
        long remaining = Math.max(0, limit - count);
        request.setAttribute(RATE_ATTRIBUTE, new long[] {limit, remaining});
        if (count <= limit) {
            return null;
        }
        long retryAfter = Math.max(1, Duration.between(now, windowEnd).toMillis() / 1000
                + (Duration.between(now, windowEnd).toMillis() % 1000 == 0 ? 0 : 1));
        LOG.info("rate limit reached: key={}... limit={}/min trace_id={}", key.keyHash().substring(0, 8), limit,
                Trace.id(request));
        return Envelope.error(request, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                        "Too many requests: this key may make " + limit + " requests per minute. Retry after "
                                + retryAfter + " s.")
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
                .header(LIMIT_HEADER, Long.toString(limit))
                .header(REMAINING_HEADER, "0");
    }

    @ResponseFilter
    public void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        try {
            String traceId = Trace.id(request);
            int status = response.code();
            if (status >= 400 && !Envelope.isEnveloped(request)) {
                String[] codeAndMessage = Envelope.forStatus(status);
                if (status >= 500) {
                    LOG.error("request failed inside the framework: status={} trace_id={}", status, traceId);
                }
                @SuppressWarnings("unchecked")
                MutableHttpResponse<Object> r = (MutableHttpResponse<Object>) response;
                r.body(Envelope.errorBody(codeAndMessage[0], codeAndMessage[1], traceId));
                r.contentType(MediaType.APPLICATION_JSON_TYPE);
            }
            response.getHeaders().set(Trace.HEADER, traceId);
            request.getAttribute(RATE_ATTRIBUTE, long[].class).ifPresent(rate -> {
                response.getHeaders().set(LIMIT_HEADER, Long.toString(rate[0]));
                response.getHeaders().set(REMAINING_HEADER, Long.toString(rate[1]));
            });
        } finally {
            MDC.remove(Trace.MDC_KEY);
        }
    }

    private static MutableHttpResponse<String> unauthorized(HttpRequest<?> request) {
        return Envelope.error(request, HttpStatus.UNAUTHORIZED, "invalid_token", Envelope.INVALID_TOKEN_MESSAGE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    /** The token of {@code Bearer <token>} (scheme in any case); empty when the header is absent or malformed. */
    static Optional<String> bearerToken(@Nullable String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = h.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH
                || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.empty();
        }
        return Optional.of(token);
    }
}
