package io.voicedrop.core.service;

import io.voicedrop.core.model.ModelChange;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.port.SampleUrlSigner;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Cover images sent as files: stored in the bucket next to the voice's other uploads (so erasing the voice erases
 * them), and handed to the upstream, which takes a URL, as a short-lived presigned one.
 */
public final class CoverStore {

    private final SampleStorage storage;
    private final SampleUrlSigner signer;
    private final String bucket;
    private final Duration urlExpiry;

    public CoverStore(SampleStorage storage, SampleUrlSigner signer, String bucket, Duration urlExpiry) {
        this.storage = storage;
        this.signer = signer;
        this.bucket = bucket;
        this.urlExpiry = urlExpiry;
    }

    /** A stored cover: where it is, and the URL the upstream may fetch it from for a while. */
    public record Stored(String key, String versionId, String url) {
        @Override
        public String toString() {
            return "Stored[key=" + key + ", url=<redacted>]";
        }
    }

    /** Stores a new cover of a voice (its create job, or the model when it has none). */
    public Stored store(String createJobId, String modelId, ModelChange.CoverFile file) {
        String key = VoiceEraser.uploadsOf(createJobId, modelId) + "cover-" + UUID.randomUUID().toString()
                .substring(0, 8) + "." + file.extension();
        String versionId = storage.put(bucket, key, file.bytes(), file.contentType());
        return new Stored(key, versionId, signer.sign(bucket, key, versionId, urlExpiry).url());
    }

    /** Removes a cover the upstream did not take, so a refused edit leaves nothing behind. */
    public void discard(Stored stored) {
        storage.erase(bucket, List.of(new SampleStorage.StoredObject(stored.key(), stored.versionId())));
    }
}
