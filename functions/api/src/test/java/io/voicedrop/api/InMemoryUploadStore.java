package io.voicedrop.api;

import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The bucket's metadata in memory: what {@code GET /uploads/{id}} looks up. */
final class InMemoryUploadStore implements UploadStore {

    final Map<String, UploadedObject> objects = new ConcurrentHashMap<>();

    UploadedObject put(String bucket, String key, String eTag, long size) {
        UploadedObject o = new UploadedObject(bucket, key, "v" + (objects.size() + 1), eTag, size);
        objects.put(bucket + "/" + key, o);
        return o;
    }

    @Override
    public Optional<UploadedObject> find(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    @Override
    public Listing list(String bucket, String prefix, int max) {
        throw new UnsupportedOperationException("the API does not list the bucket");
    }

    @Override
    public Optional<byte[]> readSmall(UploadedObject object, int maxBytes) {
        throw new UnsupportedOperationException("the API does not read uploads");
    }

    @Override
    public ByteSource open(UploadedObject object) {
        throw new UnsupportedOperationException("the API does not read uploads");
    }
}
