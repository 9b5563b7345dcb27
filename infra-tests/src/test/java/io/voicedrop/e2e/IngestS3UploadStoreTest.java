package io.voicedrop.e2e;

import static io.voicedrop.e2e.IngestAssertions.RUN;
import static io.voicedrop.e2e.Pipeline.stack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.S3UploadStore;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.AudioProbe;
import io.voicedrop.audio.ByteSource;
import io.voicedrop.audio.CountingByteSource;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.UploadStore;
import io.voicedrop.local.DemoAudio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The S3 adapter ingest reads through, against the emulator: paging, pinning to a version, ranged reads. */
class IngestS3UploadStoreTest {

    // Outside incoming/, so these objects trigger no ingest.
    private static final String PREFIX = "adapter-test " + RUN + "/";

    private final String bucket = stack().pipeline.bucket();
    private final S3UploadStore store = new S3UploadStore(stack().pipeline.s3(), 100);

    private UploadedObject put(String key, byte[] bytes) {
        PutObjectResponse r = stack().pipeline.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        return new UploadedObject(bucket, key, r.versionId(), r.eTag().replace("\"", ""), bytes.length);
    }

    @Test
    void listingIsPagedAndBounded() {
        String folder = PREFIX + "paging/";
        IntStream.range(0, 250).parallel().forEach(i -> put(String.format("%sf%03d.wav", folder, i), new byte[] {1}));
        UploadStore.Listing all = store.list(bucket, folder, 10_000);
        assertFalse(all.truncated());
        assertEquals(250, all.objects().size());
        assertEquals(folder + "f000.wav", all.objects().get(0).key());
        assertEquals(folder + "f249.wav", all.objects().get(249).key());
        UploadStore.Listing exact = store.list(bucket, folder, 250);
        assertEquals(250, exact.objects().size());
        assertFalse(exact.truncated());
        UploadStore.Listing capped = store.list(bucket, folder, 120);
        assertEquals(120, capped.objects().size());
        assertTrue(capped.truncated());
    }

    @Test
    void findGivesTheCurrentVersionOrNothing() {
        UploadedObject put = put(PREFIX + "find/a.wav", new byte[] {1, 2, 3});
        UploadedObject found = store.find(bucket, put.key()).orElseThrow();
        assertEquals(put.eTag(), found.eTag());
        assertEquals(3, found.sizeBytes());
        assertNotNull(found.versionId());
        assertEquals(Optional.empty(), store.find(bucket, PREFIX + "find/missing.wav"));
    }

    @Test
    void smallReadsArePinnedToTheNotifiedObject() {
        String key = PREFIX + "pinned/model.json";
        UploadedObject first = put(key, "{\"title\": \"one\"}".getBytes(StandardCharsets.UTF_8));
        put(key, "{\"title\": \"two\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"title\": \"one\"}", new String(store.readSmall(first, 1000).orElseThrow(), StandardCharsets.UTF_8));
        UploadedObject byEtagOnly = new UploadedObject(bucket, key, null, first.eTag(), first.sizeBytes());
        assertEquals(Optional.empty(), store.readSmall(byEtagOnly, 1000), "replaced since the notification");
        assertThrows(UploadStore.TooLarge.class, () -> store.readSmall(first, 5));
        UploadedObject empty = put(PREFIX + "pinned/empty.json", new byte[0]);
        assertEquals(0, store.readSmall(empty, 1000).orElseThrow().length);
    }

    @Test
    void audioIsProbedWithAFewRangedReadsNotADownload() throws Exception {
        byte[] wav = DemoAudio.wav(Duration.ofSeconds(60), 16_000, 1, 1);
        UploadedObject o = put(PREFIX + "probe/long.wav", wav);
        ByteSource src = store.open(o);
        assertArrayEquals(Arrays.copyOfRange(wav, 1000, 1100), src.read(1000, 100));
        assertArrayEquals(Arrays.copyOfRange(wav, wav.length - 10, wav.length), src.read(wav.length - 10, 100));
        assertEquals(0, src.read(wav.length, 10).length);

        CountingByteSource counting = new CountingByteSource(store.open(o));
        AudioInfo info = new AudioProbe().probe(counting);
        assertEquals(16_000, info.sampleRateHz());
        assertEquals(Duration.ofSeconds(60), info.duration());
        assertTrue(counting.reads() <= 2, "reads: " + counting.reads());
        assertTrue(counting.bytesRead() <= 128 * 1024, "bytes read: " + counting.bytesRead() + " of " + wav.length);
    }

    @Test
    void aRangedReadOfAVanishedVersionFails() {
        UploadedObject o = put(PREFIX + "gone/a.wav", new byte[] {1, 2, 3});
        stack().pipeline.s3().deleteObject(b -> b.bucket(bucket).key(o.key()).versionId(o.versionId()));
        assertThrows(IOException.class, () -> store.open(o).read(0, 3));
        List<UploadedObject> none = store.list(bucket, PREFIX + "gone/", 10).objects();
        assertTrue(none.isEmpty(), none.toString());
    }
}
