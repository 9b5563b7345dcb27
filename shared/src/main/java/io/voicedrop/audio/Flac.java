package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;

/** Native FLAC: "fLaC" followed by the mandatory STREAMINFO metadata block. */
final class Flac {
  private Flac() {}

  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    byte[] b = r.readFully(start, 4 + 4 + 34, "FLAC STREAMINFO");
    int type = b[4] & 0x7F;
    int len = Bytes.u24be(b, 5);
    if (type != 0 || len < 34) {
      throw new AudioProbeException(
          Reason.CORRUPT_HEADER, "FLAC does not start with a STREAMINFO block");
    }
    return streamInfo(b, 8, AudioFormat.FLAC);
  }

  /** Parses the 34-byte STREAMINFO body at {@code off}. */
  static AudioInfo streamInfo(byte[] b, int off, AudioFormat format) throws AudioProbeException {
    // bytes 10..17: sample rate (20 bits), channels-1 (3), bits-1 (5), total samples (36)
    long packed = Bytes.u64be(b, off + 10);
    int rate = (int) (packed >>> 44);
    int channels = (int) ((packed >>> 41) & 0x7) + 1;
    long total = packed & 0xF_FFFF_FFFFL;
    if (rate == 0) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "FLAC STREAMINFO sample rate is 0");
    }
    return new AudioInfo(format, "flac", rate, channels, total == 0 ? null : Bytes.duration(total, rate));
  }
}
