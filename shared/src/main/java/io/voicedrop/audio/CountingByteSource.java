package io.voicedrop.audio;

import java.io.IOException;
import java.util.Objects;

/**
 * Decorator that counts the calls made to, and the bytes returned by, another {@link ByteSource}.
 * Useful to log how much of an S3 object a probe actually fetched. Not thread-safe.
 */
public final class CountingByteSource implements ByteSource {
  private final ByteSource delegate;
  private long bytesRead;
  private int reads;

  public CountingByteSource(ByteSource delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public byte[] read(long offset, int length) throws IOException {
    byte[] b = delegate.read(offset, length);
    reads++;
    if (b != null) {
      bytesRead += b.length;
    }
    return b;
  }

  /** Total bytes returned by the delegate so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Number of {@link #read} calls (i.e. ranged requests) made so far. */
  public int reads() {
    return reads;
  }
}
