package io.voicedrop.core.service;

import io.voicedrop.audio.ByteSource;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A versioned bucket in memory that counts the calls ingest makes. */
final class FakeUploadStore implements UploadStore {

    static final String BUCKET = "bucket";

    private record Stored(byte[] bytes, String versionId, String eTag) {
    }

    private final Map<String, Stored> objects = new TreeMap<>();
    private int versions;
    final AtomicInteger finds = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger ranges = new AtomicInteger();
    boolean failReads;

    synchronized UploadedObject put(String key, byte[] bytes) {
        Stored s = new Stored(bytes.clone(), "v" + (++versions), md5(bytes));
        objects.put(key, s);
        return new UploadedObject(BUCKET, key, s.versionId(), s.eTag(), bytes.length);
    }

    UploadedObject put(String key, String text) {
        return put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void delete(String key) {
        objects.remove(key);
    }

    int calls() {
        return finds.get() + lists.get() + ranges.get();
    }

    @Override
    public synchronized Optional<UploadedObject> find(String bucket, String key) {
        finds.incrementAndGet();
        Stored s = objects.get(key);
        return s == null ? Optional.empty()
                : Optional.of(new UploadedObject(bucket, key, s.versionId(), s.eTag(), s.bytes().length));
    }

    @Override
    public synchronized Listing list(String bucket, String prefix, int max) {
        lists.incrementAndGet();
        List<UploadedObject> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : objects.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                if (out.size() == max) {
                    return new Listing(out, true);
                }
                out.add(new UploadedObject(bucket, e.getKey(), null, e.getValue().eTag(), e.getValue().bytes().length));
            }
        }
        return new Listing(out, false);
    }

    @Override
    public synchronized Optional<byte[]> readSmall(UploadedObject object, int maxBytes) {
        Stored s = objects.get(object.key());
        if (s == null || !s.eTag().equals(object.eTag())) {
            return Optional.empty();
        }
        if (s.bytes().length > maxBytes) {
            throw new TooLarge(s.bytes().length);
        }
        return Optional.of(s.bytes().clone());
    }

    @Override
    public ByteSource open(UploadedObject object) {
        ByteSource inner;
        synchronized (this) {
            inner = ByteSource.of(objects.get(object.key()).bytes());
        }
        return new ByteSource() {
            @Override
            public long size() {
                return inner.size();
            }

            @Override
            public byte[] read(long offset, int length) throws IOException {
                ranges.incrementAndGet();
                if (failReads) {
                    throw new IOException("connection reset");
                }
                return inner.read(offset, length);
            }
        };
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
