package io.voicedrop.api;

import io.voicedrop.core.port.UploadFormSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Signs nothing: records what the API asked to sign, and answers a recognisable form. */
final class RecordingFormSigner implements UploadFormSigner {

    record Signed(String bucket, String key, String contentType, long minBytes, long maxBytes, Duration expiry) {
    }

    final List<Signed> signed = new CopyOnWriteArrayList<>();

    @Override
    public UploadForm sign(String bucket, String key, String contentType, long minBytes, long maxBytes,
                           Duration expiry) {
        signed.add(new Signed(bucket, key, contentType, minBytes, maxBytes, expiry));
        return new UploadForm("https://" + bucket + ".s3.eu-west-1.amazonaws.com/",
                Map.of("key", key, "Content-Type", contentType, "policy", "test-policy"),
                Instant.parse("2026-11-27T11:00:00Z"));
    }
}
