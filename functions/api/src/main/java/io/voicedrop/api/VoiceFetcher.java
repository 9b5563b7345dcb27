package io.voicedrop.api;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads the voice URLs of a JSON {@code POST /fish/model} (the platform variant sends sample URLs, not files), so
 * that they can be probed before anything is billed and stored under {@code uploads/}.
 *
 * <p>The function fetches a URL the caller chose from inside the AWS account, so without limits this endpoint would
 * be a server-side request forgery tool: a way to read instance metadata (169.254.169.254), reach VPC hosts or
 * local services, or use other protocols. Hence every fetch is bounded:
 * <ul>
 *   <li>only {@code https} by default: a plain {@code http} download can be read and rewritten in transit. Other
 *       schemes ({@code file}, {@code ftp}, {@code gopher}, {@code jar}, ...) are never accepted, whatever the
 *       setting. No user info in the URL (it would carry credentials), at most 2,048 characters;</li>
 *   <li>the host must resolve only to public unicast addresses: loopback, private (10/8, 172.16/12, 192.168/16),
 *       link-local (169.254/16, where instance metadata lives, and fe80::/10), carrier-grade NAT (100.64/10),
 *       unique-local (fc00::/7), multicast, unspecified, benchmarking, documentation and reserved ranges, and IPv6
 *       forms that embed such an IPv4 address, are refused. A host with one bad address among good ones is refused
 *       too, since the client may connect to any of them. The JVM caches the validated lookup (30 s), and the HTTP
 *       client resolves through the same cache, which closes most of the DNS-rebinding window;</li>
 *   <li>redirects are never followed blindly, since a public host can answer with a {@code Location} pointing
 *       inside: at most 3, and each target must pass the same policy as the first URL (so an {@code https} to
 *       {@code http} downgrade is refused by default);</li>
 *   <li>connect timeout 3 s, and one deadline for all voices of the request (the function has 29 s);</li>
 *   <li>at most {@code maxBytes} per voice, enforced while reading (a lying or absent Content-Length does not
 *       matter); only status 200 is accepted.</li>
 * </ul>
 *
 * <p>{@code API_ALLOW_LOCAL_VOICE_URLS=true} ({@link ApiSettings#allowLocalVoiceUrls()}) allows plain {@code http}
 * and non-public addresses, for local runs and tests, whose voice servers are plain {@code http} on loopback or a
 * private network; every other rule still holds. It must never be set in AWS.
 *
 * <p>Refusal messages are shown to the API caller ({@code voices[2]: <message>}) and never contain the URL: voice
 * URLs are often presigned, so the URL itself is a credential that must not be echoed back.
 */
class VoiceFetcher {

    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_REDIRECTS = 3;

    static final String NON_PUBLIC = "a private, loopback, link-local or reserved address, which is not allowed";

    /**
     * Looks up every address of a host. A seam for tests: this machine has only loopback and private addresses, so
     * a test that proves a redirect into the private network is refused needs a first hop whose name "resolves" to
     * a public address (a stub) while the request really goes to a local server (a proxy in the client).
     */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * What the URLs may reach. The setting {@code API_ALLOW_LOCAL_VOICE_URLS} turns both knobs at once (see the
     * production constructor); they are separate only so that tests can allow the plain {@code http} their local server
     * speaks while still refusing non-public addresses, the rule a redirect must not get around.
     *
     * @param allowHttp plain {@code http} as well as {@code https}
     * @param allowNonPublicAddresses loopback, private, link-local and reserved addresses
     */
    record Policy(boolean allowHttp, boolean allowNonPublicAddresses) {
        /** The production default: https to public addresses only. */
        static final Policy STRICT = new Policy(false, false);
    }

    private final Resolver resolver;
    private final Policy policy;
    private final long maxBytes;
    private final HttpClient client;

    /**
     * The production constructor ({@link ApiBeans#voiceFetcher}).
     *
     * @param allowLocalVoiceUrls {@link ApiSettings#allowLocalVoiceUrls()}: allows plain http and non-public addresses
     */
    VoiceFetcher(boolean allowLocalVoiceUrls, long maxBytes) {
        this(InetAddress::getAllByName, new Policy(allowLocalVoiceUrls, allowLocalVoiceUrls), maxBytes,
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(3)).build());
    }

    /**
     * For tests only (see {@link Resolver}). The client must not follow redirects itself, or the hops would bypass
     * the policy.
     */
    VoiceFetcher(Resolver resolver, Policy policy, long maxBytes, HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HTTP client must not follow redirects: each hop is checked here");
        }
        this.resolver = Objects.requireNonNull(resolver);
        this.policy = Objects.requireNonNull(policy);
        this.maxBytes = maxBytes;
        this.client = client;
    }

    /** The downloaded voice. */
    record Fetched(byte[] bytes, String contentType, String fileName) {
    }

    /** A voice URL that cannot be used; the message is safe to show the caller (it never contains the URL). */
    static final class FetchFailed extends Exception {
        FetchFailed(String message) {
            super(message, null, false, false);
        }
    }

    Fetched fetch(String url, Instant deadline) throws FetchFailed {
        URI uri = check(url, false);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> r = send(uri, deadline);
            int status = r.statusCode();
            Optional<String> location = r.headers().firstValue("location");
            if (isRedirect(status) && location.isPresent()) {
                if (hop == MAX_REDIRECTS) {
                    break;
                }
                URI next;
                try {
                    next = uri.resolve(location.get().strip());
                } catch (IllegalArgumentException e) {
                    throw new FetchFailed("a redirect led to an invalid URL");
                }
                uri = check(next.toString(), true);
                continue;
            }
            if (status != 200) {
                throw new FetchFailed("the server answered HTTP " + status);
            }
            if (r.body().length == 0) {
                throw new FetchFailed("the file is empty (0 bytes)");
            }
            return new Fetched(r.body(), r.headers().firstValue("content-type").orElse(""), fileName(uri));
        }
        throw new FetchFailed("more than " + MAX_REDIRECTS + " redirects, which is not allowed");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<byte[]> send(URI uri, Instant deadline) throws FetchFailed {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new FetchFailed("the download time for the voices of this request is used up");
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(left)
                    .header("User-Agent", "VoiceDrop/1.0 (voice sample download)").build();
        } catch (IllegalArgumentException e) {
            throw new FetchFailed("not a valid URL");
        }
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new Capped(maxBytes));
        try {
            return future.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FetchFailed("the download took too long");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchFailed("the download was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge) {
                throw new FetchFailed("the file is larger than " + maxBytes + " bytes");
            }
            if (e.getCause() instanceof HttpConnectTimeoutException) {
                throw new FetchFailed("the server could not be reached in time");
            }
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new FetchFailed("the download took too long");
            }
            throw new FetchFailed("the download failed (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    /**
     * Validates one URL (the first, or a redirect target) against the policy: shape, scheme, and every address of the
     * host. Messages never repeat the URL.
     */
    URI check(String url, boolean redirect) throws FetchFailed {
        if (url == null || url.isBlank()) {
            throw refused(redirect, "not a valid URL", "an invalid URL");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw refused(redirect, "the URL is longer than " + MAX_URL_LENGTH + " characters",
                    "a URL longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw refused(redirect, "not a valid URL", "an invalid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw schemeRefused(redirect); // file, ftp, gopher, jar, data, ...: no setting allows them
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(redirect, "URLs with user info are not accepted",
                    "a URL with user info, which is not accepted");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(redirect, "the URL has no host", "a URL without a host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException | SecurityException | IllegalArgumentException e) {
            addresses = null;
        }
        if (addresses == null || addresses.length == 0) {
            throw refused(redirect, "the host does not resolve", "a host that does not resolve");
        }
        if (!policy.allowNonPublicAddresses()) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw refused(redirect, "the host resolves to " + NON_PUBLIC,
                            "a host that resolves to " + NON_PUBLIC);
                }
            }
        }
        // Checked after the addresses, so that http://127.0.0.1/ names the address, the more serious problem.
        if (scheme.equals("http") && !policy.allowHttp()) {
            throw schemeRefused(redirect);
        }
        return uri;
    }

    private FetchFailed schemeRefused(boolean redirect) {
        return policy.allowHttp()
                ? refused(redirect, "only http and https URLs are accepted",
                        "a URL that is not http or https, which is not allowed")
                : refused(redirect, "only https URLs are accepted", "a URL that is not https, which is not allowed");
    }

    private static FetchFailed refused(boolean redirect, String direct, String redirectTarget) {
        return new FetchFailed(redirect ? "a redirect led to " + redirectTarget : direct);
    }

    /** True only for globally routable unicast addresses. */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return false; // fec0::/10 old site-local
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32 documentation
            }
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= b[i] == 0;
            }
            if (zeroPrefix && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || (b[10] == 0 && b[11] == 0))) {
                // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) carry an IPv4 address
                return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // 64:ff9b::/96 NAT64
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]}); // 2002::/16 6to4
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224
                || (a0 == 100 && a1 >= 64 && a1 <= 127)
                || (a0 == 169 && a1 == 254)
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 168)
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
                || (a0 == 198 && (a1 == 18 || a1 == 19))
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113));
    }

    private static String fileName(URI uri) {
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? "voice" : name;
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
