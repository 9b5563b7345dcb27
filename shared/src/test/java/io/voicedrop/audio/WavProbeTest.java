package io.voicedrop.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavProbeTest {
  private final AudioProbe probe = new AudioProbe();

  private AudioInfo probe(byte[] b) throws AudioProbeException {
    return probe.probe(ByteSource.of(b));
  }

  @Test
  void pcm16Mono8kHz() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(8000).channels(1).seconds(1.5).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s16le", 8000, 1, Duration.ofMillis(1500)), i);
  }

  @Test
  void pcm16Stereo44k1() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(44100).channels(2).seconds(0.25).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s16le", 44100, 2, Duration.ofMillis(250)), i);
  }

  @Test
  void pcm8BitUnsigned() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(11025).bits(8).seconds(2).build());
    assertEquals("pcm_u8", i.codec());
    assertEquals(Duration.ofSeconds(2), i.duration());
  }

  @Test
  void waveFormatExtensible24Bit() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(48000).channels(2).bits(24).extensible().seconds(0.5).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s24le", 48000, 2, Duration.ofMillis(500)), i);
  }

  @Test
  void ieeeFloat() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(16000).bits(32).formatTag(3).seconds(0.75).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_f32le", 16000, 1, Duration.ofMillis(750)), i);
  }

  @Test
  void muLawWithFactChunk() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rate(8000).bits(8).formatTag(7).fact().seconds(1).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_mulaw", 8000, 1, Duration.ofSeconds(1)), i);
  }

  @Test
  void rf64UsesDs64Sizes() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().rf64().rate(22050).channels(2).seconds(1).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s16le", 22050, 2, Duration.ofSeconds(1)), i);
  }

  @Test
  void skipsOddSizedChunkBeforeFmt() throws Exception {
    AudioInfo i = probe(new TestAudio.Wav().oddListChunkFirst().rate(16000).seconds(1).build());
    assertEquals(new AudioInfo(AudioFormat.WAV, "pcm_s16le", 16000, 1, Duration.ofSeconds(1)), i);
  }

  @Test
  void truncatedUploadIsClampedToBytesPresent() throws Exception {
    byte[] full = new TestAudio.Wav().rate(8000).seconds(2).build();
    byte[] half = Arrays.copyOf(full, full.length - 8000 * 2); // drop the last second
    assertEquals(Duration.ofSeconds(1), probe(half).duration());
  }

  @Test
  void streamedWavWithZeroDataSizeUsesFileSize() throws Exception {
    byte[] b = new TestAudio.Wav().rate(8000).seconds(1).declaredDataSize(0).build();
    assertEquals(Duration.ofSeconds(1), probe(b).duration());
  }

  @Test
  void truncatedHeaderIsCorrupt() {
    byte[] b = Arrays.copyOf(new TestAudio.Wav().build(), 30);
    assertEquals(Reason.CORRUPT_HEADER, assertThrows(AudioProbeException.class, () -> probe(b)).reason());
  }

  @Test
  void missingDataChunkIsCorrupt() {
    byte[] full = new TestAudio.Wav().seconds(0).build();
    byte[] noData = Arrays.copyOf(full, full.length - 8);
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> probe(noData));
    assertEquals(Reason.CORRUPT_HEADER, e.reason());
  }

  @Test
  void zeroChannelsIsCorrupt() {
    byte[] b = new TestAudio.Wav().channels(0).seconds(0).build();
    assertEquals(Reason.CORRUPT_HEADER, assertThrows(AudioProbeException.class, () -> probe(b)).reason());
  }

  @Test
  void hugeFmtChunkSizeDoesNotAllocateOrFail() {
    byte[] b = new TestAudio.Wav().seconds(0.1).build();
    // fmt chunk size field at offset 16: claim ~4 GiB
    b[16] = (byte) 0xF0;
    b[17] = b[18] = b[19] = (byte) 0xFF;
    AudioProbeException e = assertThrows(AudioProbeException.class, () -> probe(b));
    assertEquals(Reason.CORRUPT_HEADER, e.reason()); // data chunk is now "inside" fmt
  }

  @Test
  void webpInRiffIsNotAudio() {
    byte[] b = TestAudio.concat(TestAudio.ascii("RIFF\u0000\u0001\u0000\u0000WEBPVP8 "), new byte[100]);
    assertEquals(Reason.NOT_AUDIO, assertThrows(AudioProbeException.class, () -> probe(b)).reason());
  }
}
