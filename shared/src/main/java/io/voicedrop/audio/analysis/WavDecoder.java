package io.voicedrop.audio.analysis;

import io.voicedrop.audio.WavFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * RIFF/WAVE, RF64 and BW64 with integer PCM (8, 16, 24 or 32 bits) or IEEE float (32 or 64 bits), read chunk by
 * chunk and then a block of samples at a time. Hand-written because it is a few dozen lines over a format the probe
 * already parses, while {@code javax.sound.sampled} reads neither RF64 nor 64-bit float and picks its reader through
 * service lookup (which the FLAC jar joins).
 */
final class WavDecoder implements StreamDecoder {

  private static final int MAX_CHUNKS = 256;
  private static final int BLOCK_FRAMES = 4096;
  private static final long UNKNOWN32 = 0xFFFFFFFFL;

  @Override
  public void decode(InputStream in, PcmSink sink)
      throws IOException, DamagedAudioException, NotDecodableException {
    LittleEndianReader r = new LittleEndianReader(in);
    try {
      String riff = r.fourCc();
      r.u32();
      String wave = r.fourCc();
      if (riff == null || !"WAVE".equals(wave)) {
        throw new DamagedAudioException("not a WAVE stream");
      }
      boolean rf64 = !"RIFF".equals(riff);
      byte[] fmt = null;
      long ds64Data = -1;
      for (int i = 0; i < MAX_CHUNKS; i++) {
        String id = r.fourCc();
        if (id == null) {
          throw new DamagedAudioException("no data chunk");
        }
        long len = r.u32();
        switch (id) {
          case "fmt " -> {
            if (len < 16) {
              throw new DamagedAudioException("fmt chunk too short");
            }
            fmt = new byte[(int) Math.min(len, 64)];
            if (r.readFully(fmt, 0, fmt.length) < fmt.length || !r.skip(len - fmt.length + (len & 1))) {
              throw new DamagedAudioException("truncated fmt chunk");
            }
          }
          case "ds64" -> {
            byte[] d = new byte[(int) Math.min(Math.max(len, 0), 64)];
            if (len < 28 || r.readFully(d, 0, d.length) < d.length || !r.skip(len - d.length + (len & 1))) {
              throw new DamagedAudioException("truncated ds64 chunk");
            }
            ds64Data = LittleEndianReader.u64(d, 8);
          }
          case "data" -> {
            if (fmt == null) {
              throw new DamagedAudioException("data chunk before the fmt chunk");
            }
            long size = rf64 && len == UNKNOWN32 && ds64Data >= 0 ? ds64Data : len;
            // 0 and 0xFFFFFFFF are what streaming writers leave behind: read to the end of the stream.
            long limit = size == 0 || size == UNKNOWN32 ? Long.MAX_VALUE : size;
            samples(in, fmt, limit, sink);
            return;
          }
          default -> {
            if (!r.skip(len + (len & 1))) {
              throw new DamagedAudioException("stream ends inside chunk " + id.strip());
            }
          }
        }
      }
      throw new DamagedAudioException("no data chunk in the first " + MAX_CHUNKS + " chunks");
    } catch (EOFException e) {
      throw new DamagedAudioException(e.getMessage());
    }
  }

  private static void samples(InputStream in, byte[] fmt, long limit, PcmSink sink)
      throws IOException, NotDecodableException, DamagedAudioException {
    WavFormat f = WavFormat.of(fmt);
    int tag = f.tag();
    int channels = f.channels();
    long rate = f.sampleRate();
    int blockAlign = f.blockAlign();
    int bits = f.bitsPerSample();
    if (channels < 1 || rate < 1 || rate > 1_000_000 || blockAlign < channels || blockAlign % channels != 0) {
      throw new DamagedAudioException("fmt chunk has channels=" + channels + " rate=" + rate + " blockAlign="
          + blockAlign);
    }
    int width = blockAlign / channels;
    boolean pcm = tag == 1 && width >= 1 && width <= 4 && bits <= width * 8;
    boolean ieee = tag == 3 && (width == 4 || width == 8);
    if (!pcm && !ieee) {
      throw new NotDecodableException("only PCM and float WAV are decoded");
    }
    sink.start((int) rate, channels);
    int blockFrames = Math.max(1, Math.min(BLOCK_FRAMES, (1 << 20) / blockAlign));
    byte[] raw = new byte[blockFrames * blockAlign];
    float[] out = new float[blockFrames * channels];
    long left = limit;
    LittleEndianReader r = new LittleEndianReader(in);
    while (left > 0) {
      int want = (int) Math.min(raw.length, left);
      int got = r.readFully(raw, 0, want);
      int frames = got / blockAlign;
      if (frames > 0) {
        convert(raw, frames * channels, width, ieee, out);
        if (!sink.accept(out, frames)) {
          return;
        }
      }
      if (got < want) {
        return; // a data chunk longer than the file: a truncated upload, decoded as far as it goes
      }
      left -= got;
    }
  }

  private static void convert(byte[] raw, int count, int width, boolean ieee, float[] out) {
    int p = 0;
    for (int i = 0; i < count; i++, p += width) {
      out[i] = switch (width) {
        case 1 -> ((raw[p] & 0xFF) - 128) / 128f;
        case 2 -> (short) ((raw[p] & 0xFF) | raw[p + 1] << 8) / 32768f;
        case 3 -> ((raw[p] & 0xFF) | (raw[p + 1] & 0xFF) << 8 | raw[p + 2] << 16) / 8388608f;
        case 4 -> ieee ? Float.intBitsToFloat((int) LittleEndianReader.u32(raw, p))
            : (int) LittleEndianReader.u32(raw, p) / 2147483648f;
        default -> (float) Double.longBitsToDouble(LittleEndianReader.u64(raw, p));
      };
    }
  }
}
