package io.voicedrop.audio.analysis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Exact reads and skips over a stream, with the little-endian fields RIFF uses. */
final class LittleEndianReader {

  private final InputStream in;
  private final byte[] word = new byte[8];

  LittleEndianReader(InputStream in) {
    this.in = in;
  }

  /** Reads exactly {@code len} bytes, or returns how many were there before the stream ended. */
  int readFully(byte[] b, int off, int len) throws IOException {
    int got = 0;
    while (got < len) {
      int n = in.read(b, off + got, len - got);
      if (n < 0) {
        break;
      }
      got += n;
    }
    return got;
  }

  /** Four bytes of ASCII (a chunk id), or null at the end of the stream. */
  String fourCc() throws IOException {
    int n = readFully(word, 0, 4);
    if (n == 0) {
      return null;
    }
    if (n < 4) {
      throw new EOFException("stream ends inside a chunk id");
    }
    return new String(word, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  long u32() throws IOException {
    if (readFully(word, 0, 4) < 4) {
      throw new EOFException("stream ends inside a chunk size");
    }
    return (word[0] & 0xFFL) | (word[1] & 0xFFL) << 8 | (word[2] & 0xFFL) << 16 | (word[3] & 0xFFL) << 24;
  }

  /** Skips {@code n} bytes; false when the stream ended first. */
  boolean skip(long n) throws IOException {
    long left = n;
    byte[] scratch = null;
    while (left > 0) {
      long k = in.skip(left);
      if (k <= 0) {
        if (scratch == null) {
          scratch = new byte[8192];
        }
        int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (r < 0) {
          return false;
        }
        k = r;
      }
      left -= k;
    }
    return true;
  }

  static long u32(byte[] b, int off) {
    return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }
}
