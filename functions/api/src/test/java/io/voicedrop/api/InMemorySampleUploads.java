package io.voicedrop.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The bucket as a map of key to bytes. */
final class InMemorySampleUploads implements SampleUploads {

    final Map<String, byte[]> objects = new LinkedHashMap<>();
    RuntimeException failWith;

    @Override
    public synchronized String put(String bucket, String key, byte[] bytes, String contentType) {
        if (failWith != null) {
            throw failWith;
        }
        objects.put(bucket + "/" + key, bytes.clone());
        return "v" + objects.size();
    }
}
