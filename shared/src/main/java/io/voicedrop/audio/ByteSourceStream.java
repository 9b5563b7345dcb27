package io.voicedrop.audio;

import java.io.IOException;
import java.io.InputStream;

/** A {@link ByteSource} read front to back in chunks of {@link #CHUNK} bytes: one ranged read per chunk. */
public final class ByteSourceStream extends InputStream {

  static final int CHUNK = 1 << 20;

  private final ByteSource src;
  private long offset;
  private byte[] chunk = new byte[0];
  private int pos;

  public ByteSourceStream(ByteSource src) {
    this.src = src;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return chunk[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, chunk.length - pos);
    System.arraycopy(chunk, pos, b, off, n);
    pos += n;
    return n;
  }

  private boolean fill() throws IOException {
    if (pos < chunk.length) {
      return true;
    }
    if (offset >= src.size()) {
      return false;
    }
    chunk = src.read(offset, (int) Math.min(CHUNK, src.size() - offset));
    pos = 0;
    offset += chunk.length;
    return chunk.length > 0;
  }
}
