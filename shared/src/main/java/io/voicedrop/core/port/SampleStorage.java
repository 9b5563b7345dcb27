package io.voicedrop.core.port;

import java.util.List;

/**
 * The bucket as the pipeline writes and erases it: objects VoiceDrop stores itself (samples and covers posted to the
 * API, under {@code uploads/}), and erasure of every stored copy of an upload. The bucket is versioned, so erasing
 * means deleting versions (and delete markers), not just hiding the current one.
 * A failing call throws {@link java.io.UncheckedIOException}; every method is safe to repeat.
 */
public interface SampleStorage {

    /** Stores the bytes; returns the new object's version id (null on an unversioned bucket). */
    String put(String bucket, String key, byte[] bytes, String contentType);

    /**
     * Erases exactly these object versions; for an object without a version id, every version of its key.
     *
     * @return how many versions (and delete markers) were removed
     */
    int erase(String bucket, List<StoredObject> objects);

    /** Erases every version of every object whose key starts with {@code prefix}; returns how many. */
    int eraseUnder(String bucket, String prefix);

    /** Erases every version of {@code key} except the current one (what an overwrite left behind). */
    int eraseOlderVersions(String bucket, String key);

    /** The versions of exactly {@code key}, newest first (delete markers left out). */
    List<StoredVersion> versions(String bucket, String key);

    /**
     * Tags these objects as belonging to a job that has ended ({@link #ENDED_TAG}={@link #ENDED_VALUE}), so the
     * bucket's retention rule expires them; an object without a version id is tagged in its current version.
     * An object that no longer exists is skipped.
     */
    void markEnded(String bucket, List<StoredObject> objects);

    /** The object tag the retention lifecycle rule of {@code template.yaml} filters on. */
    String ENDED_TAG = "voicedrop-job";
    String ENDED_VALUE = "ended";

    /** One object version (null: the key's versions, whichever exist). */
    record StoredObject(String key, String versionId) {
    }

    /** One version of a key as the bucket lists it. */
    record StoredVersion(String key, String versionId, String eTag, long sizeBytes) {
    }
}
