package io.voicedrop.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Makes the form a browser posts straight to the bucket (an S3 "POST policy"): one exact key, one content type, a
 * size range and an expiry, signed so that the bucket itself refuses anything else. The audio never passes through
 * the API, so upload size is bounded by the bucket, not by API Gateway's 10 MB or Lambda's 6 MB.
 */
public interface UploadFormSigner {

    UploadForm sign(String bucket, String key, String contentType, long minBytes, long maxBytes, Duration expiry);

    /**
     * Where to post and the form fields to send before the file field (in this order). The fields hold a signature
     * made with the function's credentials: {@link #toString()} never shows them, so they cannot leak into a log.
     */
    record UploadForm(String url, Map<String, String> fields, Instant expiresAt) {
        public UploadForm {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        @Override
        public String toString() {
            return "UploadForm[url=" + url + ", expiresAt=" + expiresAt + ", fields=<redacted>]";
        }
    }
}
