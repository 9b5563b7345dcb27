package io.voicedrop.adapters.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * The one outbound-URL guard of VoiceDrop. Every URL a function fetches or posts to on someone else's behalf goes
 * through it: voice URLs of {@code POST /fish/model}, webhook {@code callback_url}s, and the {@code audio_url} of a
 * spoken preview. Such a URL is chosen outside the AWS account, so without limits each of those features would be a
 * server-side request forgery tool (instance metadata at 169.254.169.254, VPC hosts, local services, other
 * protocols). The rules, checked on the first URL and again on every redirect target ({@link GuardedHttp}):
 * <ul>
 *   <li>only {@code https} by default: a plain {@code http} exchange can be read and rewritten in transit. Other
 *       schemes ({@code file}, {@code ftp}, {@code gopher}, {@code jar}, ...) are never accepted, whatever the
 *       setting. No user info in the URL (it would carry credentials), at most 2,048 characters;</li>
 *   <li>the host must resolve only to public unicast addresses: loopback, private (10/8, 172.16/12, 192.168/16),
 *       link-local (169.254/16, where instance metadata lives, and fe80::/10), carrier-grade NAT (100.64/10),
 *       unique-local (fc00::/7), multicast, unspecified, benchmarking, documentation and reserved ranges, and IPv6
 *       forms that embed such an IPv4 address, are refused. A host with one bad address among good ones is refused
 *       too, since the client may connect to any of them. The JVM caches the validated lookup (30 s), and the HTTP
 *       client resolves through the same cache, which closes most of the DNS-rebinding window.</li>
 * </ul>
 *
 * <p>One setting relaxes it, for local runs and tests whose servers are plain {@code http} on loopback:
 * {@code ALLOW_LOCAL_URLS=true} (its first name, {@code API_ALLOW_LOCAL_VOICE_URLS}, still works), read by
 * {@link io.voicedrop.config.VoiceDropConfig#allowLocalUrls()}. It must never be set in AWS.
 *
 * <p>Refusal messages are meant to be shown ({@code voices[2]: <message>}) and never contain the URL: such URLs are
 * often presigned or carry tokens, so the URL itself is a credential that must not be echoed back or logged.
 */
public final class OutboundGuard {

    public static final int MAX_URL_LENGTH = 2048;
    public static final String NON_PUBLIC = "a private, loopback, link-local or reserved address, which is not allowed";

    /**
     * Looks up every address of a host. A seam for tests: this machine has only loopback and private addresses, so
     * a test that proves a redirect into the private network is refused needs a first hop whose name "resolves" to
     * a public address (a stub) while the request really goes to a local server (a proxy in the client).
     */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * What URLs may reach. The local-URLs setting turns both knobs at once ({@link #of(boolean)}); they are separate
     * only so that tests can allow the plain {@code http} their local server speaks while still refusing non-public
     * addresses, the rule a redirect must not get around.
     *
     * @param allowHttp               plain {@code http} as well as {@code https}
     * @param allowNonPublicAddresses loopback, private, link-local and reserved addresses
     */
    public record Policy(boolean allowHttp, boolean allowNonPublicAddresses) {
        /** The production default: https to public addresses only. */
        public static final Policy STRICT = new Policy(false, false);
    }

    /** A URL the policy does not allow; the message is safe to show (it never contains the URL). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Resolver resolver;
    private final Policy policy;

    public OutboundGuard(Resolver resolver, Policy policy) {
        this.resolver = Objects.requireNonNull(resolver);
        this.policy = Objects.requireNonNull(policy);
    }

    /** The production guard: real DNS; {@code allowLocalUrls} is the one relaxation setting. */
    public static OutboundGuard of(boolean allowLocalUrls) {
        return new OutboundGuard(InetAddress::getAllByName, new Policy(allowLocalUrls, allowLocalUrls));
    }

    public Policy policy() {
        return policy;
    }

    /**
     * Validates one URL (the first, or a redirect target) against the policy: shape, scheme, and every address of the
     * host. Messages never repeat the URL.
     */
    public URI check(String url, boolean redirect) throws Refused {
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

    private Refused schemeRefused(boolean redirect) {
        return policy.allowHttp()
                ? refused(redirect, "only http and https URLs are accepted",
                        "a URL that is not http or https, which is not allowed")
                : refused(redirect, "only https URLs are accepted", "a URL that is not https, which is not allowed");
    }

    private static Refused refused(boolean redirect, String direct, String redirectTarget) {
        return new Refused(redirect ? "a redirect led to " + redirectTarget : direct);
    }

    /** True only for globally routable unicast addresses. */
    public static boolean isPublic(InetAddress a) {
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
}
