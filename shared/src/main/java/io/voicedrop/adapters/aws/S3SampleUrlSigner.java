package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.SampleUrlSigner;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/** The one place sample URLs are presigned. Signing is local computation: no call to S3. */
public final class S3SampleUrlSigner implements SampleUrlSigner {

    private final S3Presigner presigner;
    private final Clock clock;

    public S3SampleUrlSigner(S3Presigner presigner, Clock clock) {
        this.presigner = presigner;
        this.clock = clock;
    }

    @Override
    public SignedUrl sign(String bucket, String key, String versionId, Duration expiry) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(key)
                .versionId(versionId == null || versionId.isEmpty() ? null : versionId).build();
        PresignedGetObjectRequest signed = presigner.presignGetObject(b -> b.signatureDuration(expiry).getObjectRequest(get));
        return new SignedUrl(signed.url().toString(), clock.instant().plus(expiry));
    }
}
