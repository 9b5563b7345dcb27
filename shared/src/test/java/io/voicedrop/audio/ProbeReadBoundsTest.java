package io.voicedrop.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Large objects must be probed with a few small ranged reads. */
class ProbeReadBoundsTest {
  private static final long MB50 = 50L * 1024 * 1024;
  private static final long LIMIT = 256 * 1024;

  private final AudioProbe probe = new AudioProbe();

  private AudioInfo probeBounded(TestAudio.VirtualSource src) throws AudioProbeException {
    AudioInfo info = probe.probe(src);
    assertTrue(src.bytesRead < LIMIT, "read " + src.bytesRead + " bytes of " + src.size());
    assertTrue(src.reads.size() <= 4, "made " + src.reads.size() + " reads");
    assertFalse(src.touched(4 * 1024 * 1024, src.size() - 4 * 1024 * 1024),
        "no read may touch the middle of the object");
    return info;
  }

  @Test
  void wav50MB() throws Exception {
    TestAudio.Wav w = new TestAudio.Wav().rate(44100).channels(2);
    byte[] header = w.header(MB50);
    TestAudio.VirtualSource src = new TestAudio.VirtualSource().bytes(header).zeros(MB50);
    AudioInfo i = probeBounded(src);
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s16le", 44100, 2,
        Bytes.duration(MB50 / 4, 44100)), i);
  }

  @Test
  void cbrMp350MBWithoutXingIsEstimatedFromSize() throws Exception {
    TestAudio.VirtualSource src = new TestAudio.VirtualSource().repeat(TestAudio.mp3Frame(), MB50);
    AudioInfo i = probeBounded(src);
    long frames = src.size() / TestAudio.MP3_FRAME;
    assertEquals(AudioFormat.MP3, i.format());
    assertEquals(44100, i.sampleRateHz());
    assertEquals(2, i.channels());
    double expected = frames * 1152 / 44100.0; // about 3,300 s
    assertEquals(expected, i.duration().toNanos() / 1e9, 0.01);
  }

  @Test
  void m4aWithMoovAfter50MBMdat() throws Exception {
    byte[] fixture = TestAudio.fixture("aac_16k_mono_moov_end.m4a");
    byte[] mdatHeader = ByteBuffer.allocate(8).putInt((int) (8 + MB50)).put(TestAudio.ascii("mdat")).array();
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(TestAudio.topLevelBox(fixture, "ftyp"))
        .bytes(mdatHeader).zeros(MB50)
        .bytes(TestAudio.topLevelBox(fixture, "moov"));
    AudioInfo i = probeBounded(src);
    assertEquals(new AudioInfo(AudioFormat.M4A_AAC, "aac", 16000, 1, Duration.ofSeconds(1)), i);
  }

  @Test
  void m4aWith64BitLargesizeMdatOf5GiB() throws Exception {
    long payload = 5L * 1024 * 1024 * 1024;
    byte[] fixture = TestAudio.fixture("aac_16k_mono_moov_end.m4a");
    byte[] mdatHeader = ByteBuffer.allocate(16).putInt(1).put(TestAudio.ascii("mdat"))
        .putLong(16 + payload).array();
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(TestAudio.topLevelBox(fixture, "ftyp"))
        .bytes(mdatHeader).zeros(payload)
        .bytes(TestAudio.topLevelBox(fixture, "moov"));
    AudioInfo i = probeBounded(src);
    assertEquals(new AudioInfo(AudioFormat.M4A_AAC, "aac", 16000, 1, Duration.ofSeconds(1)), i);
  }

  @ParameterizedTest
  @ValueSource(strings = {"opus_16k_mono.opus", "vorbis_8k_mono.ogg", "opus_48k_mono_live.webm"})
  void tailDurationFormatsPaddedTo50MB(String file) throws Exception {
    // Headers at the start, the last page/cluster at the end, 50 MB of filler in between.
    byte[] f = TestAudio.fixture(file);
    AudioInfo small = probe.probe(ByteSource.of(f));
    int cut = f.length / 2;
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(Arrays.copyOf(f, cut)).zeros(MB50).bytes(Arrays.copyOfRange(f, cut, f.length));
    AudioInfo big = probeBounded(src);
    assertEquals(small, big);
  }

  @ParameterizedTest
  @ValueSource(strings = {"flac_8k_mono.flac", "opus_48k_mono.webm", "aac_44k_stereo_faststart.m4a",
      "mp3_22k_mono_vbr.mp3"})
  void headerDurationFormatsPaddedTo50MB(String file) throws Exception {
    byte[] f = TestAudio.fixture(file);
    TestAudio.VirtualSource src = new TestAudio.VirtualSource().bytes(f).zeros(MB50);
    AudioInfo big = probeBounded(src);
    assertEquals(probe.probe(ByteSource.of(f)).format(), big.format());
  }

  @Test
  void readBudgetIsEnforced() {
    byte[] fixture = TestAudio.fixture("aac_16k_mono_moov_end.m4a");
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(TestAudio.topLevelBox(fixture, "ftyp"))
        .bytes(ByteBuffer.allocate(8).putInt((int) (8 + MB50)).put(TestAudio.ascii("mdat")).array())
        .zeros(MB50)
        .bytes(TestAudio.topLevelBox(fixture, "moov"));
    AudioProbe oneRead = new AudioProbe(AudioProbe.HEAD, 1);
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> oneRead.probe(src));
    assertEquals(Reason.UNSUPPORTED, e.reason());
    assertEquals(1, src.reads.size());
  }

  /**
   * Mutated fixtures must either probe or be rejected with an AudioProbeException (never another
   * exception), within the default byte budget.
   */
  @ParameterizedTest
  @ValueSource(strings = {
    "mp3_8k_id3.mp3", "mp3_22k_mono_vbr.mp3", "aac_8k_mono.aac", "flac_8k_mono.flac",
    "opus_48k_stereo.opus", "vorbis_8k_mono.ogg", "aac_16k_mono_moov_end.m4a",
    "aac_44k_stereo_faststart.m4a", "opus_48k_mono_live.webm", "vorbis_22k_stereo.mka",
  })
  void fuzzedHeadersNeverEscapeOrOverread(String file) {
    byte[] original = TestAudio.fixture(file);
    Random rnd = new Random(file.hashCode());
    int headerSpan = Math.min(original.length, 600);
    for (int iter = 0; iter < 400; iter++) {
      byte[] b = original.clone();
      int flips = 1 + rnd.nextInt(4);
      for (int k = 0; k < flips; k++) {
        int at = rnd.nextInt(headerSpan);
        b[at] = rnd.nextInt(3) == 0 ? (byte) 0xFF : (byte) rnd.nextInt(256);
      }
      TestAudio.VirtualSource src = new TestAudio.VirtualSource().bytes(b).zeros(rnd.nextBoolean() ? 0 : MB50);
      try {
        probe.probe(src);
      } catch (AudioProbeException expected) {
        // fine: rejected with a reason
      } catch (RuntimeException e) {
        throw new AssertionError(file + " iteration " + iter + ": " + e, e);
      }
      assertTrue(src.bytesRead <= AudioProbe.DEFAULT_MAX_BYTES, "read " + src.bytesRead);
    }
  }
}
