package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;

/**
 * MPEG audio (MP3 and layers I/II) and ADTS AAC: skips ID3v2 tags, finds the first frame whose
 * successors confirm it, then takes the duration from a Xing/Info or VBRI header, or estimates it
 * from the average frame size seen in the first bytes and the file size.
 */
final class Mpeg {
  private Mpeg() {}

  /** How far past the start (or the ID3v2 tag) to look for the first frame. */
  private static final int SCAN_NO_TAG = 8 * 1024;
  private static final int SCAN_AFTER_TAG = 32 * 1024;
  /** Bytes of frames examined for the average frame size. */
  private static final int WALK = 64 * 1024;
  private static final int MAX_ID3_TAGS = 4;

  private static final int[][] BITRATES = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // V1 L1
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // V1 L2
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // V1 L3
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // V2 L1
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // V2 L2/L3
  };
  private static final int[] ADTS_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /** One MPEG audio or ADTS frame header. */
  record Frame(boolean adts, int version, int layer, int rate, int channels, int bitrateKbps,
      int length, int samples) {
    /** Same stream parameters (what must not change from frame to frame). */
    boolean compatible(Frame o) {
      return adts == o.adts && version == o.version && layer == o.layer && rate == o.rate;
    }
  }

  /** Returns the offset just past any ID3v2 tags at {@code pos} (only their headers are read). */
  static long skipId3v2(RangeReader r, long pos) throws AudioProbeException {
    for (int i = 0; i < MAX_ID3_TAGS; i++) {
      // after a skipped tag, read ahead enough for sniffing and the frame scan in one request
      byte[] h = r.read(pos, 10, pos == 0 ? RangeReader.CHUNK : WALK);
      if (h.length < 10 || !Bytes.ascii(h, 0, "ID3")) {
        return pos;
      }
      int major = h[3] & 0xFF;
      if (major < 2 || major > 4 || ((h[6] | h[7] | h[8] | h[9]) & 0x80) != 0) {
        if (pos == 0 && r.size() <= 10) {
          throw new AudioProbeException(Reason.CORRUPT_HEADER, "truncated ID3v2 tag");
        }
        return pos; // not a real ID3 header
      }
      long size = ((h[6] & 0x7FL) << 21) | ((h[7] & 0x7FL) << 14) | ((h[8] & 0x7FL) << 7) | (h[9] & 0x7F);
      boolean footer = major == 4 && (h[5] & 0x10) != 0;
      pos += 10 + size + (footer ? 10 : 0);
      if (pos >= r.size()) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "ID3v2 tag with no audio after it");
      }
    }
    return pos;
  }

  /** Returns null if no MPEG/ADTS stream is found near {@code start}. */
  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    int scan = start > 0 ? SCAN_AFTER_TAG : SCAN_NO_TAG;
    byte[] b = r.readPreferCached(start, WALK, scan + 4 * 1024);
    long size = r.size();
    int limit = Math.min(scan, b.length - 4);
    for (int i = 0; i < limit; i++) {
      if ((b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xE0) != 0xE0) {
        continue;
      }
      Frame f = parse(b, i);
      if (f == null) {
        continue;
      }
      long frameEnd = start + i + f.length();
      if (frameEnd > size) {
        if (i == 0) {
          throw new AudioProbeException(Reason.CORRUPT_HEADER,
              "truncated " + (f.adts() ? "ADTS" : "MPEG audio") + " stream: first frame runs past the end");
        }
        continue;
      }
      if (!confirmed(b, i, f, start, size)) {
        continue;
      }
      return f.adts() ? adts(r, b, i, f, start) : mp3(b, i, f, start, size);
    }
    return null;
  }

  /** Needs two more matching frames, or the stream ending exactly (bar an ID3v1 tag) after i. */
  private static boolean confirmed(byte[] b, int i, Frame f, long start, long size) {
    int p = i + f.length();
    for (int n = 0; n < 2; n++) {
      long remaining = size - (start + p);
      if (remaining == 0 || (remaining == 128 && Bytes.ascii(b, p, "TAG"))) {
        return n > 0 || i == 0; // a one-frame file only counts if it starts right at `start`
      }
      if (p + 4 > b.length) {
        return n > 0; // ran out of buffered bytes; one confirmation is plenty
      }
      Frame g = parse(b, p);
      if (g == null || !g.compatible(f)) {
        return false;
      }
      p += g.length();
    }
    return true;
  }

  private static AudioInfo mp3(byte[] b, int i, Frame f, long start, long size) {
    String codec = f.layer() == 3 ? "mp3" : f.layer() == 2 ? "mp2" : "mp1";
    // Xing/Info header sits after the side information of the first frame.
    int side = f.version() == 1 ? (f.channels() == 1 ? 17 : 32) : (f.channels() == 1 ? 9 : 17);
    int x = i + 4 + side;
    if (f.layer() == 3 && (Bytes.ascii(b, x, "Xing") || Bytes.ascii(b, x, "Info")) && x + 8 <= b.length) {
      int flags = (int) Bytes.u32be(b, x + 4);
      int q = x + 8;
      long frames = -1;
      long streamBytes = -1;
      if ((flags & 1) != 0 && q + 4 <= b.length) {
        frames = Bytes.u32be(b, q);
        q += 4;
      }
      if ((flags & 2) != 0) {
        streamBytes = q + 4 <= b.length ? Bytes.u32be(b, q) : -1;
        q += 4;
      }
      if ((flags & 4) != 0) q += 100;
      if ((flags & 8) != 0) q += 4;
      if (frames > 0) {
        long samples = frames * f.samples();
        // LAME extension: encoder delay and padding (12 bits each) 21 bytes into the tag
        if (q + 24 <= b.length && isPrintable(b, q, 4)) {
          int dp = Bytes.u24be(b, q + 21);
          long trim = (dp >>> 12) + (dp & 0xFFF);
          if (trim < samples) {
            samples -= trim;
          }
        }
        return new AudioInfo(AudioFormat.MP3, codec, f.rate(), f.channels(),
            clampToPresent(Bytes.duration(samples, f.rate()), streamBytes, size - (start + i)));
      }
      // Info frame without a frame count: fall through to the estimate, skipping this frame
      return estimate(b, i + f.length(), start, size, f, codec);
    }
    int v = i + 4 + 32;
    if (Bytes.ascii(b, v, "VBRI") && v + 18 <= b.length) {
      long streamBytes = Bytes.u32be(b, v + 10);
      long frames = Bytes.u32be(b, v + 14);
      if (frames > 0) {
        return new AudioInfo(AudioFormat.MP3, codec, f.rate(), f.channels(), clampToPresent(
            Bytes.duration(frames * f.samples(), f.rate()), streamBytes, size - (start + i)));
      }
    }
    return estimate(b, i, start, size, f, codec);
  }

  /**
   * A Xing/VBRI duration scaled down when the header's byte count shows the file was cut short
   * (an upload that stopped early still carries the full-length header).
   */
  private static Duration clampToPresent(Duration d, long headerBytes, long presentBytes) {
    if (d == null || headerBytes <= 0 || presentBytes >= headerBytes * 0.98) {
      return d;
    }
    return Bytes.seconds(d.toNanos() / 1e9 * presentBytes / headerBytes);
  }

  /**
   * Walks the buffered frames from {@code i}: exact if they reach the end of the file, otherwise
   * (remaining bytes / average frame size) frames.
   */
  private static AudioInfo estimate(byte[] b, int i, long start, long size, Frame first, String codec) {
    long audioBytes = size - (start + i);
    long tail = size - 128 - start; // an ID3v1 tag at the very end, if it happens to be buffered
    if (tail >= i && tail + 3 <= b.length && Bytes.ascii(b, (int) tail, "TAG")) {
      audioBytes -= 128;
    }
    long frames = 0;
    long bytes = 0;
    int p = i;
    while (p + 4 <= b.length && bytes < audioBytes) {
      Frame g = parse(b, p);
      if (g == null || !g.compatible(first)) {
        break;
      }
      frames++;
      bytes += g.length();
      p += g.length();
    }
    Duration d;
    if (frames == 0) {
      d = Bytes.duration(audioBytes * 8, first.bitrateKbps() * 1000L);
    } else if (bytes >= audioBytes) {
      d = Bytes.duration(frames * first.samples(), first.rate());
    } else {
      double totalFrames = (double) audioBytes * frames / bytes;
      d = Bytes.seconds(totalFrames * first.samples() / first.rate());
    }
    return new AudioInfo(first.adts() ? AudioFormat.AAC_ADTS : AudioFormat.MP3, codec,
        first.rate(), first.channels(), d);
  }

  private static AudioInfo adts(RangeReader r, byte[] b, int i, Frame f, long start) {
    int profile = (b[i + 2] & 0xFF) >>> 6;
    String codec = profile == 1 ? "aac" : "aac-" + new String[] {"main", "lc", "ssr", "ltp"}[profile];
    return estimate(b, i, start, r.size(), f, codec);
  }

  static Frame parse(byte[] b, int i) {
    if (i + 4 > b.length || (b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xE0) != 0xE0) {
      return null;
    }
    if ((b[i + 1] & 0xF6) == 0xF0) { // 12-bit sync and layer 00: ADTS
      return i + 7 <= b.length ? parseAdts(b, i) : null;
    }
    return parseMpegOnly(b, i);
  }

  private static Frame parseMpegOnly(byte[] b, int i) {
    if (i + 4 > b.length || (b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xE0) != 0xE0) {
      return null;
    }
    int vbits = (b[i + 1] >> 3) & 3;
    int lbits = (b[i + 1] >> 1) & 3;
    int bri = (b[i + 2] >> 4) & 0xF;
    int sri = (b[i + 2] >> 2) & 3;
    int pad = (b[i + 2] >> 1) & 1;
    int mode = (b[i + 3] >> 6) & 3;
    int emphasis = b[i + 3] & 3;
    if (vbits == 1 || lbits == 0 || bri == 0 || bri == 15 || sri == 3 || emphasis == 2) {
      return null;
    }
    int version = vbits == 3 ? 1 : vbits == 2 ? 2 : 25;
    int layer = 4 - lbits;
    int[] table = version == 1 ? BITRATES[layer - 1] : (layer == 1 ? BITRATES[3] : BITRATES[4]);
    int kbps = table[bri];
    int base = new int[] {44100, 48000, 32000}[sri];
    int rate = version == 1 ? base : version == 2 ? base / 2 : base / 4;
    int samples = layer == 1 ? 384 : (layer == 3 && version != 1) ? 576 : 1152;
    int length = layer == 1
        ? (12 * kbps * 1000 / rate + pad) * 4
        : samples / 8 * kbps * 1000 / rate + pad;
    if (length < 24) {
      return null;
    }
    return new Frame(false, version, layer, rate, mode == 3 ? 1 : 2, kbps, length, samples);
  }

  private static Frame parseAdts(byte[] b, int i) {
    int sfi = (b[i + 2] >> 2) & 0xF;
    int chan = ((b[i + 2] & 1) << 2) | ((b[i + 3] >> 6) & 3);
    int length = ((b[i + 3] & 3) << 11) | ((b[i + 4] & 0xFF) << 3) | ((b[i + 5] & 0xFF) >>> 5);
    int blocks = (b[i + 6] & 3) + 1;
    boolean crc = (b[i + 1] & 1) == 0;
    if (sfi >= ADTS_RATES.length || chan == 0 || length < (crc ? 9 : 7)) {
      return null;
    }
    int channels = chan == 7 ? 8 : chan;
    int rate = ADTS_RATES[sfi];
    int kbps = (int) Math.max(1, (long) length * 8 * rate / (1024L * blocks) / 1000);
    return new Frame(true, 4, 0, rate, channels, kbps, length, 1024 * blocks);
  }

  private static boolean isPrintable(byte[] b, int i, int n) {
    for (int k = 0; k < n; k++) {
      int c = b[i + k] & 0xFF;
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
