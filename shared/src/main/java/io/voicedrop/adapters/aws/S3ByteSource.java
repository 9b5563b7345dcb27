package io.voicedrop.adapters.aws;

import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.model.UploadedObject;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * One S3 object as a {@link ByteSource}: each read is one ranged GetObject. Reads are pinned to the object's
 * version id (or, on an unversioned bucket, its ETag through If-Match), so every range comes from the same bytes
 * even if the key is overwritten meanwhile.
 */
final class S3ByteSource implements ByteSource {

    private final S3Client s3;
    private final UploadedObject object;

    S3ByteSource(S3Client s3, UploadedObject object) {
        this.s3 = s3;
        this.object = object;
    }

    @Override
    public long size() {
        return object.sizeBytes();
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length);
        }
        if (length == 0 || offset >= object.sizeBytes()) {
            return new byte[0];
        }
        long last = Math.min(object.sizeBytes(), offset + length) - 1;
        GetObjectRequest request = pinned(GetObjectRequest.builder(), object).range("bytes=" + offset + "-" + last)
                .build();
        try {
            return s3.getObjectAsBytes(request).asByteArray();
        } catch (SdkException e) {
            throw new IOException("ranged read of s3://" + object.bucket() + "/" + object.key() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Targets exactly the object that was notified or listed. */
    static GetObjectRequest.Builder pinned(GetObjectRequest.Builder b, UploadedObject o) {
        b.bucket(o.bucket()).key(o.key());
        if (o.versionId() != null && !o.versionId().isEmpty() && !"null".equals(o.versionId())) {
            return b.versionId(o.versionId());
        }
        if (o.eTag() != null && !o.eTag().isEmpty()) {
            return b.ifMatch("\"" + o.eTag().replace("\"", "") + "\"");
        }
        return b;
    }
}
