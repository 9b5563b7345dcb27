package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;

/**
 * Ogg: the identification header from the first (BOS) pages, the duration from the granule
 * position of the stream's last page, found in one read of the file's tail.
 */
final class Ogg {
  private Ogg() {}

  /** Largest possible Ogg page: 27-byte header + 255 lacing values + 255 * 255 payload bytes. */
  static final int MAX_PAGE = 27 + 255 + 255 * 255;

  static final int TAIL = 64 * 1024;

  private static final int MAX_BOS_PAGES = 8;
  private static final int[] CRC = crcTable();

  /** A parsed page header; {@code payload} and {@code end} are offsets into the buffer. */
  record Page(int flags, long granule, long serial, int payload, int end) {}

  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    long pos = start;
    for (int i = 0; i < MAX_BOS_PAGES; i++) {
      byte[] hdr = r.readFully(pos, 27, "Ogg page header");
      if (!Bytes.ascii(hdr, 0, "OggS") || hdr[4] != 0) {
        break;
      }
      int segs = Bytes.u8(hdr, 26);
      byte[] pg = r.readFully(pos, 27 + segs, "Ogg page header");
      int bodyLen = 0;
      for (int k = 0; k < segs; k++) {
        bodyLen += Bytes.u8(pg, 27 + k);
      }
      int flags = Bytes.u8(hdr, 5);
      if ((flags & 0x02) == 0) {
        break; // past the BOS pages: no more streams start here
      }
      long serial = Bytes.u32le(hdr, 14);
      byte[] body = r.readFully(pos + 27 + segs, bodyLen, "Ogg page body");
      AudioInfo info = identify(r, body, serial);
      if (info != null) {
        return info;
      }
      pos += 27 + segs + bodyLen;
    }
    if (pos == start) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "Ogg file does not begin with a stream");
    }
    throw new AudioProbeException(Reason.UNSUPPORTED, "Ogg file without Opus, Vorbis or FLAC audio");
  }

  private static AudioInfo identify(RangeReader r, byte[] p, long serial)
      throws AudioProbeException {
    if (Bytes.ascii(p, 0, "OpusHead")) {
      if (p.length < 19) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "OpusHead too short");
      }
      int channels = Bytes.u8(p, 9);
      int preSkip = Bytes.u16le(p, 10);
      if (channels == 0) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "OpusHead has 0 channels");
      }
      long granule = lastGranule(r, serial);
      Duration d = granule < 0 ? null : Bytes.duration(Math.max(0, granule - preSkip), 48_000);
      return new AudioInfo(AudioFormat.OGG_OPUS, "opus", 48_000, channels, d);
    }
    if (p.length >= 7 && p[0] == 1 && Bytes.ascii(p, 1, "vorbis")) {
      if (p.length < 16) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "Vorbis identification header too short");
      }
      int channels = Bytes.u8(p, 11);
      long rate = Bytes.u32le(p, 12);
      if (channels == 0 || rate == 0 || rate > Integer.MAX_VALUE) {
        throw new AudioProbeException(
            Reason.CORRUPT_HEADER, "Vorbis header has channels=" + channels + " rate=" + rate);
      }
      long granule = lastGranule(r, serial);
      Duration d = granule < 0 ? null : Bytes.duration(granule, rate);
      return new AudioInfo(AudioFormat.OGG_VORBIS, "vorbis", (int) rate, channels, d);
    }
    if (p.length >= 5 && (p[0] & 0xFF) == 0x7F && Bytes.ascii(p, 1, "FLAC")) {
      // 0x7F "FLAC" major minor count(2) "fLaC" block-header(4) STREAMINFO(34)
      if (p.length < 13 + 4 + 34 || !Bytes.ascii(p, 9, "fLaC")) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "Ogg FLAC mapping header too short");
      }
      AudioInfo si = Flac.streamInfo(p, 17, AudioFormat.OGG_FLAC);
      if (si.duration() == null) {
        long granule = lastGranule(r, serial);
        Duration d = granule < 0 ? null : Bytes.duration(granule, si.sampleRateHz());
        return new AudioInfo(si.format(), si.codec(), si.sampleRateHz(), si.channels(), d);
      }
      return si;
    }
    if (Bytes.ascii(p, 0, "Speex   ")) {
      throw new AudioProbeException(Reason.UNSUPPORTED, "Speex in Ogg is not supported");
    }
    return null; // Theora, Skeleton, ...: try the next BOS page
  }

  /**
   * Granule position of the last complete page of stream {@code serial} near the end of the file,
   * or -1. Reads the last 64 KiB, and once more the 64 KiB before that if nothing matched there.
   */
  static long lastGranule(RangeReader r, long serial) throws AudioProbeException {
    long end = r.size();
    for (int attempt = 0; attempt < 2 && end > 0; attempt++) {
      long from = Math.max(0, end - TAIL);
      // extend so that a page starting in the window is read whole
      long to = attempt == 0 ? end : Math.min(r.size(), end + MAX_PAGE);
      byte[] buf = r.readExact(from, (int) (to - from));
      for (int i = (int) Math.min(buf.length - 27, end - from - 1); i >= 0; i--) {
        if (buf[i] != 'O' || !Bytes.ascii(buf, i, "OggS")) {
          continue;
        }
        Page pg = page(buf, i);
        if (pg != null && pg.serial() == serial && pg.granule() != -1) {
          return pg.granule();
        }
      }
      end = from;
    }
    return -1;
  }

  /** Parses and CRC-checks the page at {@code i}; null if it is not a complete valid page. */
  static Page page(byte[] b, int i) {
    if (i + 27 > b.length || b[i + 4] != 0) {
      return null;
    }
    int segs = Bytes.u8(b, i + 26);
    if (i + 27 + segs > b.length) {
      return null;
    }
    int len = 0;
    for (int k = 0; k < segs; k++) {
      len += Bytes.u8(b, i + 27 + k);
    }
    int end = i + 27 + segs + len;
    if (end > b.length) {
      return null;
    }
    long stored = Bytes.u32le(b, i + 22);
    if ((crc(b, i, end) & 0xFFFFFFFFL) != stored) {
      return null;
    }
    return new Page(Bytes.u8(b, i + 5), Bytes.u64le(b, i + 6), Bytes.u32le(b, i + 14),
        i + 27 + segs, end);
  }

  /** Ogg CRC-32 (poly 0x04C11DB7, no reflection) over [from, to) with the CRC field as zeros. */
  private static int crc(byte[] b, int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) {
      int v = (i >= from + 22 && i < from + 26) ? 0 : (b[i] & 0xFF);
      c = (c << 8) ^ CRC[((c >>> 24) ^ v) & 0xFF];
    }
    return c;
  }

  private static int[] crcTable() {
    int[] t = new int[256];
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int k = 0; k < 8; k++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
      }
      t[i] = r;
    }
    return t;
  }
}
