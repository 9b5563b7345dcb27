package io.voicedrop.audio;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Little helpers for reading integers out of byte arrays. Callers check bounds first. */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  static int u16be(byte[] b, int i) {
    return (u8(b, i) << 8) | u8(b, i + 1);
  }

  static int u16le(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8);
  }

  static int u24be(byte[] b, int i) {
    return (u8(b, i) << 16) | (u8(b, i + 1) << 8) | u8(b, i + 2);
  }

  static long u32be(byte[] b, int i) {
    return ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
  }

  static long u32le(byte[] b, int i) {
    return ((long) u8(b, i + 3) << 24) | (u8(b, i + 2) << 16) | (u8(b, i + 1) << 8) | u8(b, i);
  }

  /** Unsigned 64-bit big-endian value; values above {@link Long#MAX_VALUE} come back negative. */
  static long u64be(byte[] b, int i) {
    return (u32be(b, i) << 32) | u32be(b, i + 4);
  }

  static long u64le(byte[] b, int i) {
    return (u32le(b, i + 4) << 32) | u32le(b, i);
  }

  static boolean ascii(byte[] b, int i, String s) {
    if (i < 0 || i + s.length() > b.length) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (b[i + k] != (byte) s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWith(byte[] b, int i, int... prefix) {
    if (i < 0 || i + prefix.length > b.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (u8(b, i + k) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  static String latin1(byte[] b, int i, int len) {
    return new String(b, i, len, StandardCharsets.ISO_8859_1);
  }

  /** {@code units / timescale} seconds without overflow; null for a non-positive timescale. */
  static Duration duration(long units, long timescale) {
    if (timescale <= 0 || units < 0) {
      return null;
    }
    long secs = units / timescale;
    long rem = units % timescale;
    long nanos = Math.round(rem * (1_000_000_000.0 / timescale));
    return Duration.ofSeconds(secs).plusNanos(nanos);
  }

  /** Duration from fractional seconds; null for NaN, infinite, negative or absurd values. */
  static Duration seconds(double s) {
    if (Double.isNaN(s) || Double.isInfinite(s) || s < 0 || s > 1e12) {
      return null;
    }
    long whole = (long) Math.floor(s);
    return Duration.ofSeconds(whole).plusNanos(Math.round((s - whole) * 1e9));
  }
}
