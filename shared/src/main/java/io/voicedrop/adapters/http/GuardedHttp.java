package io.voicedrop.adapters.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP to URLs someone else chose, through the {@link OutboundGuard}: the first URL and every redirect target are
 * checked (at most {@value #MAX_REDIRECTS} redirects, never followed blindly: a public host may answer with a
 * {@code Location} pointing inside), one deadline bounds the whole exchange including redirects, and the body is
 * capped while it is read (a lying or absent Content-Length does not matter). A GET follows 301, 302, 303, 307 and
 * 308; a POST follows only 307 and 308, which keep the method and the body (the others would turn it into a GET).
 */
public final class GuardedHttp {

    public static final int MAX_REDIRECTS = 3;

    /** Why an exchange did not produce an answer. */
    public enum Kind {
        /** The guard refused the URL or a redirect target; the message says why. Never retry the same URL. */
        REFUSED,
        /** The deadline passed before an answer arrived (the request may have been served). */
        TIMEOUT,
        /** No connection could be made in time: the request never reached the server. */
        CONNECT_TIMEOUT,
        /** The body grew past the cap. */
        TOO_LARGE,
        /** More redirects than allowed. */
        TOO_MANY_REDIRECTS,
        /** The deadline was already used up before the request was sent. */
        NO_TIME,
        /** Another failure on the way (connection refused or reset, TLS, protocol). */
        IO
    }

    /** An exchange without an answer; messages never contain the URL. */
    public static final class Failure extends Exception {
        private final Kind kind;
        private final String detail;

        Failure(Kind kind, String message) {
            this(kind, message, "");
        }

        Failure(Kind kind, String message, String detail) {
            super(message, null, false, false);
            this.kind = kind;
            this.detail = detail;
        }

        public Kind kind() {
            return kind;
        }

        /** For {@link Kind#IO}: the exception's simple class name, or {@code interrupted}. */
        public String detail() {
            return detail;
        }
    }

    /** The final answer (after redirects) and the URL that gave it. */
    public record Response(int status, byte[] body, HttpHeaders headers, URI uri) {
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private final OutboundGuard guard;
    private final HttpClient client;

    /** The production client: no automatic redirects (each hop is checked here), 3 s to connect. */
    public GuardedHttp(OutboundGuard guard) {
        this(guard, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(3)).build());
    }

    /** For tests (see {@link OutboundGuard.Resolver}). The client must not follow redirects itself. */
    public GuardedHttp(OutboundGuard guard, HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HTTP client must not follow redirects: each hop is checked here");
        }
        this.guard = Objects.requireNonNull(guard);
        this.client = client;
    }

    public OutboundGuard guard() {
        return guard;
    }

    /** Checks a URL without contacting it (for a refusal at request time, before anything is stored). */
    public URI check(String url) throws Failure {
        try {
            return guard.check(url, false);
        } catch (OutboundGuard.Refused e) {
            throw new Failure(Kind.REFUSED, e.getMessage());
        }
    }

    public Response get(String url, Map<String, String> headers, Instant deadline, long maxBytes) throws Failure {
        return exchange("GET", url, headers, null, deadline, maxBytes);
    }

    public Response post(String url, Map<String, String> headers, byte[] body, Instant deadline, long maxBytes)
            throws Failure {
        return exchange("POST", url, headers, Objects.requireNonNull(body), deadline, maxBytes);
    }

    private Response exchange(String method, String url, Map<String, String> headers, byte[] body, Instant deadline,
                              long maxBytes) throws Failure {
        URI uri = check(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> r = send(method, uri, headers, body, deadline, maxBytes);
            Optional<String> location = r.headers().firstValue("location");
            if (!followed(method, r.statusCode()) || location.isEmpty()) {
                return new Response(r.statusCode(), r.body(), r.headers(), uri);
            }
            if (hop == MAX_REDIRECTS) {
                break;
            }
            URI next;
            try {
                next = uri.resolve(location.get().strip());
            } catch (IllegalArgumentException e) {
                throw new Failure(Kind.REFUSED, "a redirect led to an invalid URL");
            }
            try {
                uri = guard.check(next.toString(), true);
            } catch (OutboundGuard.Refused e) {
                throw new Failure(Kind.REFUSED, e.getMessage());
            }
        }
        throw new Failure(Kind.TOO_MANY_REDIRECTS, "more than " + MAX_REDIRECTS + " redirects, which is not allowed");
    }

    private static boolean followed(String method, int status) {
        if (status == 307 || status == 308) {
            return true;
        }
        return method.equals("GET") && (status == 301 || status == 302 || status == 303);
    }

    private HttpResponse<byte[]> send(String method, URI uri, Map<String, String> headers, byte[] body,
                                      Instant deadline, long maxBytes) throws Failure {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new Failure(Kind.NO_TIME, "no time was left for the request");
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(left)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw new Failure(Kind.REFUSED, "not a valid URL");
        }
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new Capped(maxBytes));
        try {
            return future.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Failure(Kind.TIMEOUT, "no answer in time");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(Kind.IO, "the request was interrupted", "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new Failure(Kind.TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
            }
            if (cause instanceof HttpConnectTimeoutException) {
                throw new Failure(Kind.CONNECT_TIMEOUT, "the server could not be reached in time");
            }
            if (cause instanceof HttpTimeoutException) {
                throw new Failure(Kind.TIMEOUT, "no answer in time");
            }
            String name = cause.getClass().getSimpleName();
            throw new Failure(Kind.IO, "the request failed (" + name + ")", name);
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** Collects the body and fails as soon as it grows past the cap. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(long max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (out.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
