package io.voicedrop.core.port;

import java.time.Instant;

/**
 * Downloads a file from a URL someone else chose (upstream's TTS {@code audio_url}), through the deployment's one
 * outbound-URL guard: https to public addresses only (unless relaxed for local runs), checked again on every
 * redirect, size-bounded while reading.
 */
public interface RemoteFiles {

    /**
     * @throws Failed when the URL is refused, the server answers anything but 200 with a body, the body is larger
     *                than {@code maxBytes}, or no answer arrives before {@code deadline}
     */
    byte[] download(String url, long maxBytes, Instant deadline) throws Failed;

    /** A download that did not work; the message never contains the URL. */
    final class Failed extends Exception {
        private final boolean worthRetrying;

        public Failed(String message, boolean worthRetrying) {
            super(message, null, false, false);
            this.worthRetrying = worthRetrying;
        }

        /** False when the same URL can never work (refused by the guard, too large). */
        public boolean worthRetrying() {
            return worthRetrying;
        }
    }
}
