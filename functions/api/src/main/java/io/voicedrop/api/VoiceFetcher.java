package io.voicedrop.api;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
 * <p>Server-side request forgery is the risk of fetching a URL a caller chose, so every fetch is bounded:
 * <ul>
 *   <li>only {@code http} and {@code https}, no user info in the URL, at most 2,048 characters;</li>
 *   <li>the host must resolve only to public unicast addresses: loopback, private (10/8, 172.16/12, 192.168/16),
 *       link-local (169.254/16, where instance metadata lives, and fe80::/10), carrier-grade NAT (100.64/10),
 *       unique-local (fc00::/7), multicast, unspecified, benchmarking, documentation and reserved ranges, and IPv6
 *       forms that embed such an IPv4 address, are refused (unless {@code API_ALLOW_PRIVATE_VOICE_URLS=true}, for
 *       local development only). The JVM caches the validated lookup (30 s), and the HTTP client resolves through
 *       the same cache, which closes most of the DNS-rebinding window;</li>
 *   <li>redirects are not followed blindly: at most 3, each target validated like the first URL;</li>
 *   <li>connect timeout 3 s, and one deadline for all voices of the request (the function has 29 s);</li>
 *   <li>at most {@code maxBytes} per voice, enforced while reading (a lying or absent Content-Length does not
 *       matter); only status 200 is accepted.</li>
 * </ul>
 */
class VoiceFetcher {

    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_REDIRECTS = 3;

    private final boolean allowPrivate;
    private final long maxBytes;
    private final HttpClient client;

    VoiceFetcher(boolean allowPrivate, long maxBytes) {
        this.allowPrivate = allowPrivate;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** The downloaded voice. */
    record Fetched(byte[] bytes, String contentType, String fileName) {
    }

    /** A voice URL that cannot be used; the message is safe to show the caller. */
    static final class FetchFailed extends Exception {
        FetchFailed(String message) {
            super(message, null, false, false);
        }
    }

    Fetched fetch(String url, Instant deadline) throws FetchFailed {
        URI uri = check(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> r = send(uri, deadline);
            int status = r.statusCode();
            if (status >= 300 && status < 400 && r.headers().firstValue("location").isPresent()) {
                if (hop == MAX_REDIRECTS) {
                    throw new FetchFailed("more than " + MAX_REDIRECTS + " redirects");
                }
                URI next;
                try {
                    next = uri.resolve(r.headers().firstValue("location").get().strip());
                } catch (IllegalArgumentException e) {
                    throw new FetchFailed("the redirect target is not a valid URL");
                }
                uri = check(next.toString());
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
        throw new FetchFailed("more than " + MAX_REDIRECTS + " redirects");
    }

    private HttpResponse<byte[]> send(URI uri, Instant deadline) throws FetchFailed {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new FetchFailed("the download time for the voices of this request is used up");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(left)
                .header("User-Agent", "VoiceDrop/1.0 (voice sample download)").build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new Capped(maxBytes));
        try {
            return future.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FetchFailed("the download took too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("the download was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge) {
                throw new FetchFailed("the file is larger than " + maxBytes + " bytes");
            }
            throw new FetchFailed("the download failed (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    /** Validates scheme, shape and every address of the host. */
    URI check(String url) throws FetchFailed {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new FetchFailed("not a valid http(s) URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new FetchFailed("not a valid http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchFailed("only http and https URLs can be downloaded");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchFailed("URLs with user info are not accepted");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchFailed("the URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException | SecurityException e) {
            throw new FetchFailed("the host does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw new FetchFailed("the host resolves to a private or reserved address, which is not allowed");
                }
            }
        }
        return uri;
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
