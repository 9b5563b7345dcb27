package io.voicedrop.core.port;

import java.time.Duration;
import java.time.Instant;

/** Makes time-limited GET URLs for samples so upstream can download them without bucket access. */
public interface SampleUrlSigner {

    SignedUrl sign(String bucket, String key, String versionId, Duration expiry);

    /** A presigned URL. It is a credential: {@link #toString()} never shows it, so it cannot leak into a log line. */
    record SignedUrl(String url, Instant expiresAt) {
        @Override
        public String toString() {
            return "SignedUrl[expiresAt=" + expiresAt + ", url=<redacted>]";
        }
    }
}
