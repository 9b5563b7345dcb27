package io.voicedrop.core.model;

/**
 * An object that arrived in the bucket, as the S3 notification described it (key already URL-decoded).
 *
 * @param versionId null on unversioned buckets; when known, samples are read at exactly this version
 */
public record UploadedObject(String bucket, String key, String versionId, String eTag, long sizeBytes) {

    /**
     * What makes this upload unique: key plus content (ETag, compared without the quotes S3's API adds). The same
     * notification delivered twice, or the same bytes uploaded again to the same key, is one upload and never pays
     * twice; new content under the key is a new upload. The version id is not part of it because notifications do
     * not always carry one (unversioned buckets, some emulators), and the identity must not depend on that.
     */
    public String identity() {
        String etag = eTag == null ? "" : eTag.replace("\"", "");
        return bucket + "/" + key + "#" + etag;
    }
}
