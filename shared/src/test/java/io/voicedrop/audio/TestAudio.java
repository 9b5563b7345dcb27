package io.voicedrop.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: fixtures, synthetic WAV/MP3/MP4 bytes and large virtual byte sources. */
final class TestAudio {
  private TestAudio() {}

  static byte[] fixture(String name) {
    try (InputStream in = TestAudio.class.getResourceAsStream("/audio/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) b.put(p);
    return b.array();
  }

  // ---------------------------------------------------------------------------------------- WAV

  /** Builder for synthetic RIFF/RF64 WAVE files holding a sine wave. */
  static final class Wav {
    int rate = 8000;
    int channels = 1;
    int bits = 16;
    int formatTag = 1;
    boolean extensible;
    boolean rf64;
    boolean oddListChunkFirst;
    boolean factChunk;
    double seconds = 1.0;
    Long declaredDataSize; // override the data chunk size field (null: the real size)

    Wav rate(int v) { rate = v; return this; }
    Wav channels(int v) { channels = v; return this; }
    Wav bits(int v) { bits = v; return this; }
    Wav formatTag(int v) { formatTag = v; return this; }
    Wav extensible() { extensible = true; return this; }
    Wav rf64() { rf64 = true; return this; }
    Wav oddListChunkFirst() { oddListChunkFirst = true; return this; }
    Wav fact() { factChunk = true; return this; }
    Wav seconds(double v) { seconds = v; return this; }
    Wav declaredDataSize(long v) { declaredDataSize = v; return this; }

    int blockAlign() {
      return channels * ((bits + 7) / 8);
    }

    long frames() {
      return Math.round(seconds * rate);
    }

    /** Header bytes only (everything up to and including the data chunk header). */
    byte[] header(long dataBytes) {
      ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
      b.put(ascii(rf64 ? "RF64" : "RIFF")).putInt(rf64 ? -1 : 0).put(ascii("WAVE"));
      if (rf64) {
        b.put(ascii("ds64")).putInt(28).putLong(0).putLong(dataBytes).putLong(frames()).putInt(0);
      }
      if (oddListChunkFirst) {
        b.put(ascii("LIST")).putInt(5).put(ascii("INFOx")).put((byte) 0); // odd size + pad byte
      }
      int fmtLen = extensible ? 40 : 16;
      b.put(ascii("fmt ")).putInt(fmtLen);
      b.putShort((short) (extensible ? 0xFFFE : formatTag)).putShort((short) channels);
      b.putInt(rate).putInt(rate * blockAlign()).putShort((short) blockAlign()).putShort((short) bits);
      if (extensible) {
        b.putShort((short) 22).putShort((short) bits).putInt(channels == 1 ? 4 : 3);
        b.putShort((short) formatTag).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0,
            0x38, (byte) 0x9B, 0x71});
      }
      if (factChunk) {
        b.put(ascii("fact")).putInt(4).putInt((int) frames());
      }
      long dataField = declaredDataSize != null ? declaredDataSize : rf64 ? 0xFFFFFFFFL : dataBytes;
      b.put(ascii("data")).putInt((int) dataField);
      byte[] out = new byte[b.position()];
      b.flip().get(out);
      if (!rf64) { // RIFF size = file size - 8
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, (int) (out.length - 8 + dataBytes));
      }
      return out;
    }

    /** A complete file with a 440 Hz sine in 8/16/24/32-bit PCM (or zeros for other tags). */
    byte[] build() {
      int ba = blockAlign();
      byte[] data = new byte[(int) (frames() * ba)];
      int bytesPerSample = channels == 0 ? 0 : ba / channels;
      for (long f = 0; f < frames(); f++) {
        double v = Math.sin(2 * Math.PI * 440 * f / rate) * 0.5;
        long s = formatTag == 1 ? Math.round(v * ((1L << (bits - 1)) - 1)) : 0;
        if (formatTag == 1 && bits == 8) s += 128;
        for (int c = 0; c < channels; c++) {
          int off = (int) (f * ba + c * bytesPerSample);
          for (int k = 0; k < bytesPerSample; k++) data[off + k] = (byte) (s >> (8 * k));
        }
      }
      return concat(header(data.length), data);
    }
  }

  // ---------------------------------------------------------------------------------------- MP3

  /** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo, no padding: 417-byte frames. */
  static final byte[] MP3_HEADER = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
  static final int MP3_FRAME = 417;

  static byte[] mp3Frame() {
    byte[] f = new byte[MP3_FRAME];
    System.arraycopy(MP3_HEADER, 0, f, 0, 4);
    return f;
  }

  /** An ID3v2.4 tag header announcing {@code size} bytes of tag body (syncsafe). */
  static byte[] id3Header(int size) {
    return new byte[] {'I', 'D', '3', 4, 0, 0,
      (byte) ((size >> 21) & 0x7F), (byte) ((size >> 14) & 0x7F), (byte) ((size >> 7) & 0x7F),
      (byte) (size & 0x7F)};
  }

  // ---------------------------------------------------------------------------------------- MP4

  static byte[] box(String type, byte[]... children) {
    byte[] body = concat(children);
    return concat(ByteBuffer.allocate(8).putInt(8 + body.length).put(ascii(type)).array(), body);
  }

  /** Top-level boxes of an MP4 file as [type, offset, size] triples (32-bit sizes only). */
  static List<long[]> topLevelBoxes(byte[] file) {
    List<long[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(file);
    int p = 0;
    while (p + 8 <= file.length) {
      long size = Integer.toUnsignedLong(b.getInt(p));
      out.add(new long[] {b.getInt(p + 4), p, size});
      p += (int) size;
    }
    return out;
  }

  static byte[] topLevelBox(byte[] file, String type) {
    int want = ByteBuffer.wrap(ascii(type)).getInt();
    for (long[] box : topLevelBoxes(file)) {
      if (box[0] == want) {
        return java.util.Arrays.copyOfRange(file, (int) box[1], (int) (box[1] + box[2]));
      }
    }
    throw new IllegalArgumentException("no " + type);
  }

  // --------------------------------------------------------------------------------- sources

  /**
   * A large object assembled from byte arrays and virtual runs (zeros or a repeated block) without
   * allocating its full size. Records every range read.
   */
  static final class VirtualSource implements ByteSource {
    private record Part(long offset, long length, byte[] block) {}

    private final List<Part> parts = new ArrayList<>();
    private long size;
    final List<long[]> reads = new ArrayList<>();
    long bytesRead;

    VirtualSource bytes(byte[] b) {
      parts.add(new Part(size, b.length, b));
      size += b.length;
      return this;
    }

    VirtualSource zeros(long n) {
      parts.add(new Part(size, n, null));
      size += n;
      return this;
    }

    /** Repeats {@code block} whole until at least {@code n} more bytes are added. */
    VirtualSource repeat(byte[] block, long n) {
      long len = (n + block.length - 1) / block.length * block.length;
      parts.add(new Part(size, len, block));
      size += len;
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public byte[] read(long offset, int length) {
      if (length > 4 * 1024 * 1024) {
        throw new AssertionError("suspiciously large read: " + length);
      }
      long end = Math.min(size, offset + length);
      if (offset >= end) {
        return new byte[0];
      }
      byte[] out = new byte[(int) (end - offset)];
      for (Part p : parts) {
        long from = Math.max(offset, p.offset);
        long to = Math.min(end, p.offset + p.length);
        for (long i = from; i < to; i++) {
          long rel = i - p.offset;
          out[(int) (i - offset)] = p.block == null ? 0 : p.block[(int) (rel % p.block.length)];
        }
      }
      reads.add(new long[] {offset, out.length});
      bytesRead += out.length;
      return out;
    }

    /** True if any read touched a byte in [from, to). */
    boolean touched(long from, long to) {
      return reads.stream().anyMatch(r -> r[0] < to && r[0] + r[1] > from);
    }
  }
}
