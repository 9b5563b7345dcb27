package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Budgeted, caching view over a {@link ByteSource} for one probe. Every fetch counts against a byte
 * and a request budget, so a hostile file cannot make the probe download (or allocate) much.
 * Lengths passed in are always capped by the caller, never taken verbatim from the file.
 */
final class RangeReader {
  /** Minimum size of a fetch that misses the cache; small header reads are rounded up to this. */
  static final int CHUNK = 16 * 1024;

  private static final int MAX_WINDOWS = 6;

  private final ByteSource src;
  private final long size;
  private final long maxBytes;
  private final int maxRequests;
  private final Deque<Window> windows = new ArrayDeque<>();
  private long bytesRead;
  private int requests;

  private record Window(long off, byte[] data) {
    boolean covers(long o, int len) {
      return o >= off && o + len <= off + data.length;
    }
  }

  RangeReader(ByteSource src, long size, long maxBytes, int maxRequests) {
    this.src = src;
    this.size = size;
    this.maxBytes = maxBytes;
    this.maxRequests = maxRequests;
  }

  long size() {
    return size;
  }

  long bytesRead() {
    return bytesRead;
  }

  int requests() {
    return requests;
  }

  /**
   * Returns the {@code len} bytes at {@code off}, or fewer if the object ends first (empty beyond
   * the end). A cache miss fetches at least {@link #CHUNK} bytes so that following header reads are
   * served locally.
   */
  byte[] read(long off, int len) throws AudioProbeException {
    return read(off, len, CHUNK);
  }

  /**
   * Returns up to {@code max} bytes at {@code off}: whatever a cached window already holds from
   * there if that is at least {@code enough} bytes (or reaches the end of the object), otherwise a
   * fresh fetch of {@code max} bytes.
   */
  byte[] readPreferCached(long off, int max, int enough) throws AudioProbeException {
    if (off < 0 || off >= size) {
      return new byte[0];
    }
    for (Window w : windows) {
      if (off >= w.off && off < w.off + w.data.length) {
        int from = (int) (off - w.off);
        int n = Math.min(max, w.data.length - from);
        if (n >= enough || off + n >= size) {
          return Arrays.copyOfRange(w.data, from, from + n);
        }
      }
    }
    return read(off, max, max);
  }

  /** Like {@link #read(long, int)} but a cache miss fetches exactly what was asked for. */
  byte[] readExact(long off, int len) throws AudioProbeException {
    return read(off, len, 0);
  }

  /** Like {@link #read(long, int)} but fails with CORRUPT_HEADER if the object ends first. */
  byte[] readFully(long off, int len, String what) throws AudioProbeException {
    byte[] b = read(off, len);
    if (b.length < len) {
      throw new AudioProbeException(
          Reason.CORRUPT_HEADER, "truncated " + what + " at byte " + off + " (file has " + size + ")");
    }
    return b;
  }

  /** Like {@link #read(long, int)} but a cache miss fetches at least {@code minFetch} bytes. */
  byte[] read(long off, int len, int minFetch) throws AudioProbeException {
    if (off < 0 || len < 0) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "invalid offset " + off);
    }
    if (off >= size || len == 0) {
      return new byte[0];
    }
    int n = (int) Math.min(len, size - off);
    for (Window w : windows) {
      if (w.covers(off, n)) {
        int from = (int) (off - w.off);
        return Arrays.copyOfRange(w.data, from, from + n);
      }
    }
    int want = (int) Math.min(Math.max(n, minFetch), size - off);
    Window w = fetch(off, want, n);
    return Arrays.copyOf(w.data, Math.min(n, w.data.length));
  }

  private Window fetch(long off, int want, int need) throws AudioProbeException {
    long left = maxBytes - bytesRead;
    if (left < need) {
      throw new AudioProbeException(
          Reason.UNSUPPORTED,
          "headers not found within the probe budget of " + maxBytes + " bytes");
    }
    want = (int) Math.min(want, left);
    byte[] buf = new byte[want];
    int got = 0;
    while (got < want) {
      if (requests >= maxRequests) {
        throw new AudioProbeException(
            Reason.UNSUPPORTED,
            "headers not found within the probe budget of " + maxRequests + " reads");
      }
      requests++;
      byte[] part;
      try {
        part = src.read(off + got, want - got);
      } catch (IOException | RuntimeException e) {
        throw new AudioProbeException(
            Reason.IO_ERROR, "reading bytes " + (off + got) + "+" + (want - got) + " failed: " + e, e);
      }
      if (part == null || part.length == 0) {
        break;
      }
      int k = Math.min(part.length, want - got);
      System.arraycopy(part, 0, buf, got, k);
      got += k;
      bytesRead += k;
    }
    Window w = new Window(off, got == want ? buf : Arrays.copyOf(buf, got));
    windows.addFirst(w);
    if (windows.size() > MAX_WINDOWS) {
      windows.removeLast();
    }
    return w;
  }
}
