package io.voicedrop.api;

import io.voicedrop.adapters.http.GuardedHttp;
import io.voicedrop.adapters.http.OutboundGuard;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Downloads the voice URLs of a JSON {@code POST /fish/model} (the platform variant sends sample URLs, not files), so
 * that they can be probed before anything is billed and stored under {@code uploads/}.
 *
 * <p>The URL is the caller's choice, so every fetch goes through the one outbound-URL guard ({@link OutboundGuard}:
 * https only by default, public addresses only, the same rules for every redirect target, at most 3 redirects) and
 * {@link GuardedHttp} (one deadline for all voices of the request, the function has 29 s; connect timeout 3 s;
 * at most {@code maxBytes} per voice, enforced while reading). Only status 200 with a non-empty body is accepted.
 * {@code ALLOW_LOCAL_URLS=true} (or its first name {@code API_ALLOW_LOCAL_VOICE_URLS}) allows plain {@code http} and
 * non-public addresses, for local runs and tests; it must never be set in AWS.
 *
 * <p>Refusal messages are shown to the API caller ({@code voices[2]: <message>}) and never contain the URL: voice
 * URLs are often presigned, so the URL itself is a credential that must not be echoed back.
 */
class VoiceFetcher {

    static final int MAX_URL_LENGTH = OutboundGuard.MAX_URL_LENGTH;
    private static final Map<String, String> HEADERS = Map.of("User-Agent", "VoiceDrop/1.0 (voice sample download)");

    private final GuardedHttp http;
    private final long maxBytes;

    /** The production constructor ({@link ApiBeans#voiceFetcher}). */
    VoiceFetcher(boolean allowLocalUrls, long maxBytes) {
        this(new GuardedHttp(OutboundGuard.of(allowLocalUrls)), maxBytes);
    }

    /**
     * For tests: a stub resolver and a client through a local proxy (see {@link OutboundGuard.Resolver}). The client
     * must not follow redirects, or the hops would bypass the guard.
     */
    VoiceFetcher(OutboundGuard.Resolver resolver, OutboundGuard.Policy policy, long maxBytes,
                 java.net.http.HttpClient client) {
        this(new GuardedHttp(new OutboundGuard(resolver, policy), client), maxBytes);
    }

    VoiceFetcher(GuardedHttp http, long maxBytes) {
        this.http = Objects.requireNonNull(http);
        this.maxBytes = maxBytes;
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
        GuardedHttp.Response r;
        try {
            r = http.get(url, HEADERS, deadline, maxBytes);
        } catch (GuardedHttp.Failure e) {
            throw new FetchFailed(message(e));
        }
        if (r.status() != 200) {
            throw new FetchFailed("the server answered HTTP " + r.status());
        }
        if (r.body().length == 0) {
            throw new FetchFailed("the file is empty (0 bytes)");
        }
        return new Fetched(r.body(), r.headers().firstValue("content-type").orElse(""), fileName(r.uri()));
    }

    /**
     * Why the guard would refuse to contact {@code url} (a {@code callback_url}), without contacting it; empty when
     * it may be used. The message never contains the URL.
     */
    Optional<String> refusalOf(String url) {
        try {
            http.check(url);
            return Optional.empty();
        } catch (GuardedHttp.Failure e) {
            return Optional.of(e.getMessage());
        }
    }

    private String message(GuardedHttp.Failure e) {
        return switch (e.kind()) {
            case REFUSED, TOO_MANY_REDIRECTS -> e.getMessage();
            case NO_TIME -> "the download time for the voices of this request is used up";
            case TIMEOUT -> "the download took too long";
            case CONNECT_TIMEOUT -> "the server could not be reached in time";
            case TOO_LARGE -> "the file is larger than " + maxBytes + " bytes";
            case IO -> e.detail().equals("interrupted") ? "the download was interrupted"
                    : "the download failed (" + e.detail() + ")";
        };
    }

    private static String fileName(java.net.URI uri) {
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? "voice" : name;
    }
}
