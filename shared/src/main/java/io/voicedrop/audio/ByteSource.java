package io.voicedrop.audio;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Random access to the bytes of one object, typically backed by S3 ranged GETs
 * ({@code Range: bytes=offset-(offset+length-1)}).
 *
 * <p>{@link AudioProbe} calls {@link #read} a handful of times per probe (usually one to three
 * times) and never asks for more than its configured byte budget in total, so every call may map to
 * one network request.
 */
public interface ByteSource {

  /** Total size of the object in bytes (e.g. S3 {@code Content-Length}); never negative. */
  long size();

  /**
   * Reads up to {@code length} bytes starting at {@code offset}. May return fewer bytes only when
   * the end of the object is reached; an empty array means there is nothing at {@code offset}.
   */
  byte[] read(long offset, int length) throws IOException;

  /** An in-memory source, handy for tests and small payloads already held in memory. */
  static ByteSource of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public byte[] read(long offset, int length) {
        if (offset < 0 || length < 0) {
          throw new IllegalArgumentException("offset=" + offset + " length=" + length);
        }
        if (offset >= bytes.length) {
          return new byte[0];
        }
        int from = (int) offset;
        return Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, (long) from + length));
      }
    };
  }
}
