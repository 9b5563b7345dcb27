package io.voicedrop.api;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link SampleUploads} in S3 ({@code s3:PutObject} on {@code uploads/*}, granted to the API function). */
final class S3SampleUploads implements SampleUploads {

    private final S3Client s3;

    S3SampleUploads(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public String put(String bucket, String key, byte[] bytes, String contentType) {
        return s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes))
                .versionId();
    }
}
