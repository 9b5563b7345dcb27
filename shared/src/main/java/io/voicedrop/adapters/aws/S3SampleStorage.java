package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.SampleStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * {@link SampleStorage} on S3. Erasing deletes object <em>versions</em> (and delete markers) one by one with
 * {@code DeleteObject(versionId)}: on a versioned bucket a plain delete only hides the data behind a marker.
 * Needs {@code s3:PutObject}, {@code s3:DeleteObject}, {@code s3:DeleteObjectVersion},
 * {@code s3:PutObjectTagging}, {@code s3:PutObjectVersionTagging} on the prefixes it touches and
 * {@code s3:ListBucketVersions} on the bucket (see the functions' policies in {@code template.yaml}).
 */
public final class S3SampleStorage implements SampleStorage {

    private final S3Client s3;

    public S3SampleStorage(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public String put(String bucket, String key, byte[] bytes, String contentType) {
        try {
            return s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes))
                    .versionId();
        } catch (SdkException e) {
            throw failure("PutObject " + key, e);
        }
    }

    @Override
    public int erase(String bucket, List<StoredObject> objects) {
        int erased = 0;
        for (StoredObject o : objects) {
            if (o.versionId() != null) {
                erased += deleteVersion(bucket, o.key(), o.versionId());
            } else {
                erased += eraseMatching(bucket, o.key(), o.key()::equals, false);
            }
        }
        return erased;
    }

    @Override
    public int eraseUnder(String bucket, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("refusing to erase a whole bucket");
        }
        return eraseMatching(bucket, prefix, k -> k.startsWith(prefix), false);
    }

    @Override
    public int eraseOlderVersions(String bucket, String key) {
        return eraseMatching(bucket, key, key::equals, true);
    }

    @Override
    public List<StoredVersion> versions(String bucket, String key) {
        List<StoredVersion> out = new ArrayList<>();
        listVersions(bucket, key, page -> page.versions().forEach(v -> {
            if (v.key().equals(key)) {
                out.add(new StoredVersion(v.key(), v.versionId(), v.eTag(), v.size() == null ? 0 : v.size()));
            }
        }));
        return out;
    }

    @Override
    public void markEnded(String bucket, List<StoredObject> objects) {
        for (StoredObject o : objects) {
            try {
                // PutObjectTagging replaces the whole set: keep the uploader's own tags beside ours.
                List<Tag> tags = new ArrayList<>(s3.getObjectTagging(b -> b.bucket(bucket).key(o.key())
                        .versionId(o.versionId())).tagSet());
                if (tags.stream().anyMatch(t -> t.key().equals(ENDED_TAG) && t.value().equals(ENDED_VALUE))) {
                    continue;
                }
                tags.removeIf(t -> t.key().equals(ENDED_TAG));
                tags.add(Tag.builder().key(ENDED_TAG).value(ENDED_VALUE).build());
                s3.putObjectTagging(b -> b.bucket(bucket).key(o.key()).versionId(o.versionId())
                        .tagging(t -> t.tagSet(tags)));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) { // deleted meanwhile: nothing left to keep or expire
                    throw failure("PutObjectTagging " + o.key(), e);
                }
            } catch (SdkException e) {
                throw failure("PutObjectTagging " + o.key(), e);
            }
        }
    }

    /** Every version and delete marker under {@code prefix} whose key {@code selects} accepts (with {@code olderOnly}: not the latest). */
    private int eraseMatching(String bucket, String prefix, Predicate<String> selects, boolean olderOnly) {
        List<String[]> doomed = new ArrayList<>();
        listVersions(bucket, prefix, page -> {
            page.versions().stream().filter(v -> selects.test(v.key()))
                    .filter(v -> !(olderOnly && Boolean.TRUE.equals(v.isLatest())))
                    .forEach(v -> doomed.add(new String[] {v.key(), v.versionId()}));
            page.deleteMarkers().stream().filter(m -> selects.test(m.key()))
                    .filter(m -> !(olderOnly && Boolean.TRUE.equals(m.isLatest())))
                    .forEach(m -> doomed.add(new String[] {m.key(), m.versionId()}));
        });
        int erased = 0;
        for (String[] v : doomed) {
            erased += deleteVersion(bucket, v[0], v[1]);
        }
        return erased;
    }

    private void listVersions(String bucket, String prefix, java.util.function.Consumer<ListObjectVersionsResponse> page) {
        try {
            String keyMarker = null;
            String versionMarker = null;
            while (true) {
                String km = keyMarker;
                String vm = versionMarker;
                ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket(bucket).prefix(prefix)
                        .keyMarker(km).versionIdMarker(vm));
                page.accept(r);
                if (!Boolean.TRUE.equals(r.isTruncated())) {
                    return;
                }
                keyMarker = r.nextKeyMarker();
                versionMarker = r.nextVersionIdMarker();
            }
        } catch (SdkException e) {
            throw failure("ListObjectVersions " + prefix, e);
        }
    }

    private int deleteVersion(String bucket, String key, String versionId) {
        try {
            // "null" is the id S3 gives objects written before versioning was enabled: delete that exact version.
            s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
            return 1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return 0;
            }
            throw failure("DeleteObject " + key, e);
        } catch (SdkException e) {
            throw failure("DeleteObject " + key, e);
        }
    }

    private static UncheckedIOException failure(String what, SdkException e) {
        return new UncheckedIOException(new IOException(what + " failed: " + e.getMessage(), e));
    }
}
