package io.voicedrop.core.port;

import io.voicedrop.audio.ByteSource;
import io.voicedrop.audio.ByteSourceStream;
import java.io.InputStream;
import io.voicedrop.core.model.UploadedObject;
import java.util.List;
import java.util.Optional;

/**
 * Read access to what users dropped in the bucket, as ingest needs it: cheap metadata, a bounded listing, small
 * whole objects (manifests) and ranged reads (audio headers). Nothing here downloads a sample in full.
 * A failing call throws {@link java.io.UncheckedIOException}: a retry may succeed, so ingest must not turn it into
 * a rejection.
 */
public interface UploadStore {

    /** The object's current size, ETag and version id; empty when no such object exists. */
    Optional<UploadedObject> find(String bucket, String key);

    /**
     * Objects whose key starts with {@code prefix}, in key order, at most {@code max} of them (fetched page by page).
     * Listed objects carry no version id.
     */
    Listing list(String bucket, String prefix, int max);

    /**
     * The whole object, pinned to the version (or, without one, the ETag) of {@code object}.
     *
     * @return empty when that exact object no longer exists (deleted or overwritten since the notification)
     * @throws TooLarge when the object is bigger than {@code maxBytes}
     */
    Optional<byte[]> readSmall(UploadedObject object, int maxBytes);

    /** Ranged reads of exactly {@code object} (its version, or else its ETag), e.g. for {@code AudioProbe}. */
    ByteSource open(UploadedObject object);

    /**
     * Exactly {@code object} from its first byte, as a stream; reading failures are {@link java.io.IOException}s.
     * The default reads through {@link #open} a chunk at a time; a store with a cheaper whole-object read overrides
     * it. Closing the stream early must not download the rest.
     *
     * @throws java.io.UncheckedIOException when the object cannot be opened
     */
    default InputStream stream(UploadedObject object) {
        return new ByteSourceStream(open(object));
    }

    /**
     * @param truncated true when more objects exist beyond the {@code max} returned
     */
    record Listing(List<UploadedObject> objects, boolean truncated) {
        public Listing {
            objects = List.copyOf(objects);
        }
    }

    /** The object is larger than the caller is willing to read whole. */
    final class TooLarge extends RuntimeException {
        private final long sizeBytes;

        public TooLarge(long sizeBytes) {
            super("object of " + sizeBytes + " bytes is too large to read whole");
            this.sizeBytes = sizeBytes;
        }

        public long sizeBytes() {
            return sizeBytes;
        }
    }
}
