package io.voicedrop.api;

import io.micronaut.http.MutableHttpResponse;

/**
 * The console's security headers. The Content-Security-Policy allows scripts, styles and API calls from this origin
 * only (no inline script or style, no other site), network connections and audio only to the audio bucket as well
 * (uploads are posted there, samples play from short-lived links to it), nothing in frames, no plugins, no forms
 * posted anywhere; and Trusted Types with no policy, so no code path can ever write HTML from a string
 * ({@code innerHTML} throws): every catalog value reaches the page as text. Images may also come from any https
 * origin: cover images are hosted by the upstream (its CDN), and an image cannot run code.
 *
 * @param bucketOrigin scheme, host and port of the audio bucket as the SDK addresses it
 */
record ConsolePolicy(String bucketOrigin) {

    String contentSecurityPolicy() {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
                + "media-src " + bucketOrigin + "; connect-src 'self' " + bucketOrigin + "; "
                + "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
                + "require-trusted-types-for 'script'; trusted-types 'none'";
    }

    <T extends MutableHttpResponse<?>> T apply(T response) {
        response.header("Content-Security-Policy", contentSecurityPolicy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        return response;
    }
}
