package io.voicedrop.adapters.aws;

import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link UploadStore} on S3: HeadObject, ListObjectsV2 page by page, and GetObject (whole for manifests, ranged
 * for audio). Needs s3:GetObject, s3:GetObjectVersion and s3:ListBucket on {@code incoming/}.
 */
public final class S3UploadStore implements UploadStore {

    /** S3 returns at most 1000 keys per page. */
    public static final int DEFAULT_PAGE_SIZE = 1000;

    private final S3Client s3;
    private final int pageSize;

    public S3UploadStore(S3Client s3) {
        this(s3, DEFAULT_PAGE_SIZE);
    }

    public S3UploadStore(S3Client s3, int pageSize) {
        if (pageSize < 1 || pageSize > DEFAULT_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
        this.s3 = s3;
        this.pageSize = pageSize;
    }

    @Override
    public Optional<UploadedObject> find(String bucket, String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new UploadedObject(bucket, key, head.versionId(), bare(head.eTag()),
                    head.contentLength() == null ? 0 : head.contentLength()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("HeadObject " + key, e);
        } catch (SdkException e) {
            throw failure("HeadObject " + key, e);
        }
    }

    @Override
    public Listing list(String bucket, String prefix, int max) {
        List<UploadedObject> objects = new ArrayList<>();
        String token = null;
        try {
            while (true) {
                String page = token;
                int want = Math.min(pageSize, max - objects.size() + 1); // one extra tells whether more exist
                ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(want)
                        .continuationToken(page));
                for (S3Object o : r.contents()) {
                    if (objects.size() == max) {
                        return new Listing(objects, true);
                    }
                    objects.add(new UploadedObject(bucket, o.key(), null, bare(o.eTag()), o.size() == null ? 0 : o.size()));
                }
                if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextContinuationToken() == null) {
                    return new Listing(objects, false);
                }
                if (objects.size() == max) {
                    return new Listing(objects, true);
                }
                token = r.nextContinuationToken();
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2 " + prefix, e);
        }
    }

    @Override
    public Optional<byte[]> readSmall(UploadedObject object, int maxBytes) {
        if (object.sizeBytes() > maxBytes) {
            throw new TooLarge(object.sizeBytes());
        }
        if (object.sizeBytes() == 0) {
            return Optional.of(new byte[0]); // S3 refuses a range on an empty object
        }
        // The range caps what a wrong size in the notification could make us download.
        GetObjectRequest request = S3ByteSource.pinned(GetObjectRequest.builder(), object)
                .range("bytes=0-" + maxBytes).build();
        try {
            byte[] bytes = s3.getObjectAsBytes(request).asByteArray();
            if (bytes.length > maxBytes) {
                throw new TooLarge(bytes.length);
            }
            return Optional.of(bytes);
        } catch (S3Exception e) {
            // 404: deleted (or that version is gone); 412: overwritten since the notification (If-Match failed).
            if (e.statusCode() == 404 || e.statusCode() == 412) {
                return Optional.empty();
            }
            if (e.statusCode() == 416) {
                return Optional.of(new byte[0]); // a range on an empty object
            }
            throw failure("GetObject " + object.key(), e);
        } catch (SdkException e) {
            throw failure("GetObject " + object.key(), e);
        }
    }

    @Override
    public ByteSource open(UploadedObject object) {
        return new S3ByteSource(s3, object);
    }

    /** One GetObject of exactly that version; closed early, the connection is aborted instead of drained. */
    @Override
    public InputStream stream(UploadedObject object) {
        GetObjectRequest request = S3ByteSource.pinned(GetObjectRequest.builder(), object).build();
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(request);
        } catch (SdkException e) {
            throw failure("GetObject " + object.key(), e);
        }
        return new FilterInputStream(body) {
            private boolean ended;

            @Override
            public int read() throws IOException {
                int b = super.read();
                ended |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                ended |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                if (!ended) {
                    body.abort();
                }
                super.close();
            }
        };
    }

    private static String bare(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }

    private static UncheckedIOException failure(String what, SdkException e) {
        return new UncheckedIOException(new IOException(what + " failed: " + e.getMessage(), e));
    }
}
