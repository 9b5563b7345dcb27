package io.voicedrop.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioProbeTest {
  private final AudioProbe probe = new AudioProbe();

  private AudioInfo probe(byte[] b) throws AudioProbeException {
    return probe.probe(ByteSource.of(b));
  }

  private Reason rejection(byte[] b) {
    return assertThrows(AudioProbeException.class, () -> probe(b)).reason();
  }

  /** Fixtures from src/test/resources/audio (see the README there for how each was made). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // file,                       format,     codec,  rate,  ch, seconds, tolerance
    "mp3_8k_mono_cbr.mp3,          MP3,        mp3,    8000,  1,  1.0,     0.03",
    "mp3_8k_id3.mp3,               MP3,        mp3,    8000,  1,  1.0,     0.03",
    "mp3_44k_stereo_cbr.mp3,       MP3,        mp3,    44100, 2,  1.0,     0.03",
    "mp3_22k_mono_vbr.mp3,         MP3,        mp3,    22050, 1,  1.0,     0.03",
    // no Xing header: estimated from frame sizes (includes encoder delay/padding, like ffprobe)
    "mp3_16k_mono_noxing.mp3,      MP3,        mp3,    16000, 1,  1.08,    0.03",
    "aac_8k_mono.aac,              AAC_ADTS,   aac,    8000,  1,  1.152,   0.03",
    "flac_8k_mono.flac,            FLAC,       flac,   8000,  1,  0.5,     0.0",
    "flac_44k_stereo.flac,         FLAC,       flac,   44100, 2,  1.0,     0.0",
    "opus_16k_mono.opus,           OGG_OPUS,   opus,   48000, 1,  1.0,     0.01",
    "opus_48k_stereo.opus,         OGG_OPUS,   opus,   48000, 2,  0.5,     0.01",
    "vorbis_8k_mono.ogg,           OGG_VORBIS, vorbis, 8000,  1,  1.0,     0.01",
    "vorbis_44k_stereo.ogg,        OGG_VORBIS, vorbis, 44100, 2,  0.5,     0.01",
    "aac_16k_mono_moov_end.m4a,    M4A_AAC,    aac,    16000, 1,  1.0,     0.01",
    "aac_44k_stereo_faststart.m4a, M4A_AAC,    aac,    44100, 2,  0.5,     0.01",
    "opus_48k_mono.webm,           WEBM,       opus,   48000, 1,  1.008,   0.001",
    // MediaRecorder-style live WebM has no Duration: estimated from the last cluster
    "opus_48k_mono_live.webm,      WEBM,       opus,   48000, 1,  1.0,     0.03",
    "vorbis_22k_stereo.mka,        MATROSKA,   vorbis, 22050, 2,  0.523,   0.001",
    // Opus is reported at its 48 kHz decoding rate whatever the input rate was (like ffprobe)
    "opus_16k_mono.webm,           WEBM,       opus,   48000, 1,  1.008,   0.001",
    "alac_8k_mono.m4a,             M4A_OTHER,  alac,   8000,  1,  0.5,     0.001",
    "flac_44k_stereo.oga,          OGG_FLAC,   flac,   44100, 2,  0.5,     0.0",
    // the audio track of a video, after the video track
    "video_with_aac_22k.mp4,       M4A_AAC,    aac,    22050, 1,  1.0,     0.01",
  })
  void probesFixture(String file, AudioFormat format, String codec, int rate, int channels,
      double seconds, double tolerance) throws Exception {
    byte[] bytes = TestAudio.fixture(file);
    CountingByteSource src = new CountingByteSource(ByteSource.of(bytes));
    AudioInfo info = probe.probe(src);
    assertEquals(format, info.format(), "format");
    assertEquals(codec, info.codec(), "codec");
    assertEquals(rate, info.sampleRateHz(), "sample rate");
    assertEquals(channels, info.channels(), "channels");
    assertNotNull(info.duration(), "duration");
    double got = info.duration().toNanos() / 1e9;
    assertTrue(Math.abs(got - seconds) <= tolerance + 1e-9, "duration " + got + " vs " + seconds);
    assertEquals(1, src.reads(), "a small file is fetched in one ranged read");
    assertTrue(src.bytesRead() <= bytes.length);
  }

  // ------------------------------------------------------------------------------ rejections

  @Test
  void emptyObject() {
    assertEquals(Reason.EMPTY, rejection(new byte[0]));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 42, 1234, 99999})
  void randomBytesAreNotAudio(int seed) {
    Random rnd = new Random(seed);
    for (int size : new int[] {3, 100, 5_000, 200_000}) {
      byte[] b = new byte[size];
      rnd.nextBytes(b);
      assertEquals(Reason.NOT_AUDIO, rejection(b), "seed " + seed + " size " + size);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "hello, this is definitely not a voice sample\n",
    "{\"error\":\"AccessDenied\",\"message\":\"nope\"}",
    "<!DOCTYPE html><html><body>404</body></html>",
    "Grüße aus Köln — こんにちは, this is UTF-8 text",
    "id,name\n1,alice\n2,bob\n",
  })
  void textIsNotAudio(String text) {
    byte[] b = text.repeat(50).getBytes(StandardCharsets.UTF_8);
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> probe(b));
    assertEquals(Reason.NOT_AUDIO, e.reason());
  }

  @Test
  void pngRenamedToWavIsNotAudio() {
    byte[] png = new byte[2048];
    new Random(3).nextBytes(png);
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    System.arraycopy(sig, 0, png, 0, sig.length);
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> probe(png));
    assertEquals(Reason.NOT_AUDIO, e.reason());
    assertTrue(e.getMessage().contains("PNG"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"JPEG", "PDF", "ZIP", "GZIP"})
  void otherFileTypesAreNotAudio(String kind) {
    byte[] head = switch (kind) {
      case "JPEG" -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
      case "PDF" -> TestAudio.ascii("%PDF-1.7");
      case "ZIP" -> new byte[] {'P', 'K', 3, 4};
      default -> new byte[] {0x1F, (byte) 0x8B, 8, 0};
    };
    byte[] b = TestAudio.concat(head, new byte[4000]);
    assertEquals(Reason.NOT_AUDIO, rejection(b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"FORM\u0000\u0000\u0010\u0000AIFFCOMM", "#!AMR\n"})
  void recognisedButUnsupportedAudio(String head) {
    byte[] b = TestAudio.concat(TestAudio.ascii(head), new byte[500]);
    assertEquals(Reason.UNSUPPORTED, rejection(b));
  }

  @Test
  void speexInOggIsUnsupported() {
    ByteBuffer p = ByteBuffer.allocate(28 + 80);
    p.put(TestAudio.ascii("OggS")).put((byte) 0).put((byte) 2).putLong(0).putInt(1).putInt(0).putInt(0);
    p.put((byte) 1).put((byte) 80).put(TestAudio.ascii("Speex   "));
    assertEquals(Reason.UNSUPPORTED, rejection(p.array()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "mp3_8k_mono_cbr.mp3", "mp3_8k_id3.mp3", "mp3_22k_mono_vbr.mp3", "aac_8k_mono.aac",
    "flac_8k_mono.flac", "opus_16k_mono.opus", "vorbis_8k_mono.ogg", "aac_16k_mono_moov_end.m4a",
    "aac_44k_stereo_faststart.m4a", "opus_48k_mono.webm", "vorbis_22k_stereo.mka",
  })
  void truncatedHeadersAreCorrupt(String file) {
    byte[] full = TestAudio.fixture(file);
    for (int n : new int[] {12, 20, 40}) {
      assertEquals(Reason.CORRUPT_HEADER, rejection(Arrays.copyOf(full, n)), file + " cut at " + n);
    }
  }

  @Test
  void m4aCutBeforeItsTrailingMoovIsCorrupt() {
    byte[] full = TestAudio.fixture("aac_16k_mono_moov_end.m4a");
    AudioProbeException e = assertThrows(AudioProbeException.class,
        () -> probe(Arrays.copyOf(full, full.length / 2)));
    assertEquals(Reason.CORRUPT_HEADER, e.reason());
    assertTrue(e.getMessage().contains("moov"), e.getMessage());
  }

  @Test
  void oggMagicFollowedByGarbageIsCorrupt() {
    byte[] b = TestAudio.concat(TestAudio.ascii("OggS"), new byte[] {9, 9, 9}, new byte[100]);
    assertEquals(Reason.CORRUPT_HEADER, rejection(b));
  }

  @Test
  void mp4WithOnlyAVideoTrackIsNotAudio() {
    byte[] mdhd = TestAudio.box("mdhd", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0x03, (byte) 0xE8, 0, 0, 0x03, (byte) 0xE8, 0, 0, 0, 0});
    byte[] hdlr = TestAudio.box("hdlr", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 'v', 'i', 'd', 'e', 0});
    byte[] moov = TestAudio.box("moov", TestAudio.box("trak", TestAudio.box("mdia", mdhd, hdlr)));
    byte[] ftyp = TestAudio.box("ftyp", TestAudio.ascii("isom\u0000\u0000\u0002\u0000isom"));
    assertEquals(Reason.NOT_AUDIO, rejection(TestAudio.concat(ftyp, moov)));
  }

  @Test
  void failingSourceIsAnIoError() {
    ByteSource broken = new ByteSource() {
      @Override
      public long size() {
        return 1000;
      }

      @Override
      public byte[] read(long offset, int length) throws IOException {
        throw new IOException("connection reset");
      }
    };
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> probe.probe(broken));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertTrue(e.getCause() instanceof IOException);
  }

  // ------------------------------------------------------------------------- synthetic MPEG

  @Test
  void vbriHeaderGivesFrameCount() throws Exception {
    byte[] first = TestAudio.mp3Frame();
    ByteBuffer v = ByteBuffer.wrap(first, 36, 18);
    v.put(TestAudio.ascii("VBRI")).putShort((short) 1).putShort((short) 0).putShort((short) 75);
    v.putInt(1001 * TestAudio.MP3_FRAME).putInt(1000);
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(first).repeat(TestAudio.mp3Frame(), 1000L * TestAudio.MP3_FRAME);
    AudioInfo i = probe.probe(src);
    assertEquals(new AudioInfo(AudioFormat.MP3, "mp3", 44100, 2, Bytes.duration(1000L * 1152, 44100)), i);
  }

  @Test
  void largeId3TagIsSkippedNotDownloaded() throws Exception {
    int tag = 3 * 1024 * 1024; // e.g. embedded cover art
    TestAudio.VirtualSource src = new TestAudio.VirtualSource()
        .bytes(TestAudio.id3Header(tag)).zeros(tag)
        .repeat(TestAudio.mp3Frame(), 100L * TestAudio.MP3_FRAME);
    AudioInfo i = probe.probe(src);
    assertEquals(AudioFormat.MP3, i.format());
    assertEquals(Bytes.duration(100L * 1152, 44100), i.duration());
    assertTrue(src.bytesRead < 160 * 1024, "read " + src.bytesRead);
    assertTrue(!src.touched(100 * 1024, tag), "the tag body must not be downloaded");
  }

  @Test
  void opusTocDurations() {
    // config 31 (CELT 20 ms), one frame; config 3 (SILK 60 ms), code 1 (two frames)
    assertEquals(20_000_000, Matroska.opusPacketNanos(new byte[] {(byte) (31 << 3)}, 0, 1));
    assertEquals(120_000_000, Matroska.opusPacketNanos(new byte[] {(byte) ((3 << 3) | 1)}, 0, 1));
  }

  @Test
  void countingSourceCountsReadsAndBytes() throws Exception {
    CountingByteSource c = new CountingByteSource(ByteSource.of(new byte[100]));
    c.read(0, 10);
    c.read(95, 10);
    assertEquals(2, c.reads());
    assertEquals(15, c.bytesRead());
  }

  @Test
  void audioInfoRejectsNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> new AudioInfo(AudioFormat.WAV, "pcm_s16le", 0, 1, null));
    assertNull(new AudioInfo(AudioFormat.FLAC, "flac", 8000, 1, null).duration());
    assertEquals(Duration.ofMillis(1500), Bytes.duration(12_000, 8_000));
  }
}
