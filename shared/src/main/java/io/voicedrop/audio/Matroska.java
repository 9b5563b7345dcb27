package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;

/**
 * WebM / Matroska: EBML header DocType, then Segment → Info (TimecodeScale, Duration) and Tracks
 * (first audio TrackEntry: CodecID, SamplingFrequency, Channels). Clusters are skipped by size, or
 * jumped over with the SeekHead. Live recordings (browser MediaRecorder) carry no Duration; it is
 * then estimated from the last Cluster found in one read of the file's tail.
 */
final class Matroska {
  private static final int EBML = 0x1A45DFA3;
  private static final int DOCTYPE = 0x4282;
  private static final int SEGMENT = 0x18538067;
  private static final int SEEKHEAD = 0x114D9B74;
  private static final int SEEK = 0x4DBB;
  private static final int SEEK_ID = 0x53AB;
  private static final int SEEK_POSITION = 0x53AC;
  private static final int INFO = 0x1549A966;
  private static final int TIMECODE_SCALE = 0x2AD7B1;
  private static final int DURATION = 0x4489;
  private static final int TRACKS = 0x1654AE6B;
  private static final int TRACK_ENTRY = 0xAE;
  private static final int TRACK_NUMBER = 0xD7;
  private static final int TRACK_TYPE = 0x83;
  private static final int CODEC_ID = 0x86;
  private static final int AUDIO = 0xE1;
  private static final int SAMPLING_FREQUENCY = 0xB5;
  private static final int OUTPUT_SAMPLING_FREQUENCY = 0x78B5;
  private static final int CHANNELS = 0x9F;
  private static final int BIT_DEPTH = 0x6264;
  private static final int CLUSTER = 0x1F43B675;
  private static final int TIMECODE = 0xE7;
  private static final int SIMPLE_BLOCK = 0xA3;
  private static final int BLOCK_GROUP = 0xA0;
  private static final int BLOCK = 0xA1;
  private static final int BLOCK_DURATION = 0x9B;

  private static final long UNKNOWN = -1;
  private static final int BODY_CAP = 64 * 1024;
  private static final int MAX_ELEMENTS = 512;
  private static final int TAIL = 64 * 1024;

  /** An element header parsed at some offset: id, body size (or UNKNOWN), header length. */
  private record El(int id, long size, int headerLen) {}

  private final RangeReader r;
  private long timecodeScale = 1_000_000;
  private double durationTicks = -1;
  private boolean haveInfo;
  private boolean haveTracks;
  private long audioTrack = -1;
  private String codecId;
  private double rate = 8000.0; // Matroska defaults
  private double outputRate = -1;
  private long channels = 1;
  private long bitDepth;

  private Matroska(RangeReader r) {
    this.r = r;
  }

  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    return new Matroska(r).run(start);
  }

  private AudioInfo run(long start) throws AudioProbeException {
    long size = r.size();
    byte[] h = r.read(start, 12);
    El ebml = element(h, 0);
    if (ebml == null || ebml.id != EBML || ebml.size == UNKNOWN) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "truncated EBML header");
    }
    byte[] eb = r.readFully(start + ebml.headerLen, (int) Math.min(ebml.size, 4096), "EBML header");
    String docType = "matroska";
    for (int p = 0; p < eb.length; ) {
      El e = element(eb, p);
      if (e == null || e.size == UNKNOWN) break;
      int body = p + e.headerLen;
      if (e.id == DOCTYPE && body + e.size <= eb.length) {
        docType = Bytes.latin1(eb, body, (int) e.size).replace("\0", "");
      }
      p = (int) Math.min(eb.length, body + e.size);
    }
    AudioFormat format = switch (docType) {
      case "webm" -> AudioFormat.WEBM;
      case "matroska" -> AudioFormat.MATROSKA;
      default -> throw new AudioProbeException(Reason.UNSUPPORTED, "EBML DocType '" + docType + "'");
    };

    // Find the Segment (skipping Void/CRC elements that may precede it).
    long pos = start + ebml.headerLen + ebml.size;
    El seg = null;
    for (int i = 0; i < 8 && pos < size; i++) {
      El e = element(r.read(pos, 12), 0);
      if (e == null) break;
      if (e.id == SEGMENT) {
        seg = e;
        break;
      }
      if (e.size == UNKNOWN) break;
      pos += e.headerLen + e.size;
    }
    if (seg == null) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "Matroska file without a Segment");
    }
    long segData = pos + seg.headerLen;
    long segEnd = seg.size == UNKNOWN ? size : Math.min(size, segData + seg.size);
    scanSegment(segData, segEnd);

    if (!haveTracks) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "Matroska Segment without Tracks");
    }
    if (codecId == null) {
      throw new AudioProbeException(Reason.NOT_AUDIO, "not audio: Matroska without an audio track");
    }
    // Opus always decodes at 48 kHz; muxers store the encoder's input rate here (as in OpusHead).
    double hz = "A_OPUS".equals(codecId) ? 48_000 : outputRate > 0 ? outputRate : rate;
    if (!(hz >= 1 && hz <= 10_000_000) || channels < 1 || channels > 255) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER,
          "Matroska audio track has rate=" + hz + " channels=" + channels);
    }
    Duration d = durationTicks >= 0
        ? Bytes.seconds(durationTicks * timecodeScale / 1e9)
        : tailEstimate(segData, segEnd);
    return new AudioInfo(format, codec(codecId, bitDepth), (int) Math.round(hz), (int) channels, d);
  }

  /** Walks the Segment's top-level elements until Info and Tracks are both parsed. */
  private void scanSegment(long from, long to) throws AudioProbeException {
    long[] seekInfo = {-1};
    long[] seekTracks = {-1};
    long pos = from;
    boolean jumped = false;
    for (int i = 0; i < MAX_ELEMENTS && pos < to && !(haveInfo && haveTracks); i++) {
      El e = element(r.read(pos, 12), 0);
      if (e == null) break;
      long body = pos + e.headerLen;
      if (e.id == INFO || e.id == TRACKS || e.id == SEEKHEAD) {
        long len = e.size == UNKNOWN ? to - body : Math.min(e.size, to - body);
        byte[] b = r.read(body, (int) Math.min(len, BODY_CAP));
        if (e.id == INFO) {
          info(b);
        } else if (e.id == TRACKS) {
          tracks(b);
        } else {
          seekHead(b, seekInfo, seekTracks);
        }
      } else if (e.id == CLUSTER || e.size == UNKNOWN) {
        // Media data before the headers we need: jump via SeekHead once, else give up.
        long target = !haveTracks && seekTracks[0] >= 0 ? seekTracks[0]
            : !haveInfo && seekInfo[0] >= 0 ? seekInfo[0] : -1;
        if (target >= 0 && !jumped) {
          jumped = true;
          pos = from + target;
          continue;
        }
        if (e.size == UNKNOWN) break;
      }
      if (e.size == UNKNOWN) break;
      pos = body + e.size;
    }
  }

  private void seekHead(byte[] b, long[] info, long[] tracks) {
    for (int p = 0; p < b.length; ) {
      El seek = element(b, p);
      if (seek == null || seek.size == UNKNOWN) return;
      int body = p + seek.headerLen;
      int end = (int) Math.min(b.length, body + seek.size);
      if (seek.id == SEEK) {
        long id = -1;
        long position = -1;
        for (int q = body; q < end; ) {
          El c = element(b, q);
          if (c == null || c.size == UNKNOWN || q + c.headerLen + c.size > end) break;
          int cb = q + c.headerLen;
          if (c.id == SEEK_ID) id = uint(b, cb, (int) c.size);
          if (c.id == SEEK_POSITION) position = uint(b, cb, (int) c.size);
          q = (int) (cb + c.size);
        }
        if (id == INFO) info[0] = position;
        if (id == TRACKS) tracks[0] = position;
      }
      p = end;
    }
  }

  private void info(byte[] b) {
    haveInfo = true;
    for (int p = 0; p < b.length; ) {
      El e = element(b, p);
      if (e == null || e.size == UNKNOWN || p + e.headerLen + e.size > b.length) return;
      int body = p + e.headerLen;
      if (e.id == TIMECODE_SCALE) {
        long v = uint(b, body, (int) e.size);
        if (v > 0) timecodeScale = v;
      } else if (e.id == DURATION) {
        double v = flt(b, body, (int) e.size);
        if (v >= 0 && !Double.isNaN(v) && !Double.isInfinite(v)) durationTicks = v;
      }
      p = (int) (body + e.size);
    }
  }

  private void tracks(byte[] b) {
    haveTracks = true;
    for (int p = 0; p < b.length && codecId == null; ) {
      El e = element(b, p);
      if (e == null || e.size == UNKNOWN) return;
      int body = p + e.headerLen;
      int end = (int) Math.min(b.length, body + e.size);
      if (e.id == TRACK_ENTRY) {
        trackEntry(b, body, end);
      }
      p = end;
    }
  }

  private void trackEntry(byte[] b, int from, int to) {
    long number = -1;
    long type = -1;
    String codec = null;
    double hz = 8000.0;
    double outHz = -1;
    long ch = 1;
    long bits = 0;
    for (int p = from; p < to; ) {
      El e = element(b, p);
      if (e == null || e.size == UNKNOWN || p + e.headerLen + e.size > to) break;
      int body = p + e.headerLen;
      int n = (int) e.size;
      switch (e.id) {
        case TRACK_NUMBER -> number = uint(b, body, n);
        case TRACK_TYPE -> type = uint(b, body, n);
        case CODEC_ID -> codec = Bytes.latin1(b, body, n).replace("\0", "");
        case AUDIO -> {
          for (int q = body; q < body + n; ) {
            El a = element(b, q);
            if (a == null || a.size == UNKNOWN || q + a.headerLen + a.size > body + n) break;
            int ab = q + a.headerLen;
            int an = (int) a.size;
            switch (a.id) {
              case SAMPLING_FREQUENCY -> hz = flt(b, ab, an);
              case OUTPUT_SAMPLING_FREQUENCY -> outHz = flt(b, ab, an);
              case CHANNELS -> ch = uint(b, ab, an);
              case BIT_DEPTH -> bits = uint(b, ab, an);
              default -> {}
            }
            q = ab + an;
          }
        }
        default -> {}
      }
      p = body + n;
    }
    if (type == 2 && codec != null) {
      audioTrack = number;
      codecId = codec;
      rate = hz;
      outputRate = outHz;
      channels = ch;
      bitDepth = bits;
    }
  }

  /**
   * Estimates the duration from the last Cluster in the file's tail: its Timecode plus the largest
   * block timecode of the audio track, plus that block's duration (from BlockDuration, or the Opus
   * TOC byte). Null if no Cluster is found there.
   */
  private Duration tailEstimate(long segData, long segEnd) throws AudioProbeException {
    long from = Math.max(segData, segEnd - TAIL);
    byte[] b = r.readExact(from, (int) (segEnd - from));
    for (int i = b.length - 4; i >= 0; i--) {
      if ((b[i] & 0xFF) != 0x1F || !Bytes.startsWith(b, i, 0x1F, 0x43, 0xB6, 0x75)) {
        continue;
      }
      long ticks = lastBlockEnd(b, i);
      if (ticks >= 0) {
        return Bytes.seconds((double) ticks * timecodeScale / 1e9);
      }
    }
    return null;
  }

  /** End of the last audio block (in ticks) of the Cluster at i, or -1 if it does not parse. */
  private long lastBlockEnd(byte[] b, int i) {
    El c = element(b, i);
    if (c == null) return -1;
    int p = i + c.headerLen;
    int end = c.size == UNKNOWN ? b.length : (int) Math.min(b.length, p + c.size);
    El first = element(b, p);
    if (first == null || first.id != TIMECODE || first.size < 1 || first.size > 8
        || p + first.headerLen + first.size > end) {
      return -1;
    }
    long clusterTc = uint(b, p + first.headerLen, (int) first.size);
    long best = -1;
    p += first.headerLen + (int) first.size;
    while (p < end) {
      El e = element(b, p);
      if (e == null || e.size == UNKNOWN || p + e.headerLen + e.size > end) break;
      int body = p + e.headerLen;
      int n = (int) e.size;
      if (e.id == SIMPLE_BLOCK) {
        best = Math.max(best, blockEnd(b, body, n, 0));
      } else if (e.id == BLOCK_GROUP) {
        int blk = -1;
        int blkLen = 0;
        long dur = 0;
        for (int q = body; q < body + n; ) {
          El g = element(b, q);
          if (g == null || g.size == UNKNOWN || q + g.headerLen + g.size > body + n) break;
          if (g.id == BLOCK) {
            blk = q + g.headerLen;
            blkLen = (int) g.size;
          } else if (g.id == BLOCK_DURATION) {
            dur = uint(b, q + g.headerLen, (int) g.size);
          }
          q += g.headerLen + (int) g.size;
        }
        if (blk >= 0) best = Math.max(best, blockEnd(b, blk, blkLen, dur));
      } else if (e.id == CLUSTER) {
        break;
      }
      p = body + n;
    }
    return best < 0 ? -1 : clusterTc + best;
  }

  /** Relative end timecode of a (Simple)Block of the audio track, or -1 for another track. */
  private long blockEnd(byte[] b, int body, int n, long blockDuration) {
    if (n < 4) return -1;
    int len = vintLength(b[body]);
    if (len == 0 || len + 3 > n) return -1;
    long track = vint(b, body, len, true);
    if (track != audioTrack) return -1;
    long rel = (short) Bytes.u16be(b, body + len);
    int flags = Bytes.u8(b, body + len + 2);
    long frame = blockDuration;
    int data = body + len + 3;
    if (frame == 0 && "A_OPUS".equals(codecId) && (flags & 0x06) == 0 && data < body + n) {
      long ns = opusPacketNanos(b, data, body + n);
      frame = Math.round((double) ns / timecodeScale);
    }
    return rel + frame;
  }

  /** Duration of one Opus packet from its TOC byte (RFC 6716 section 3.1), in nanoseconds. */
  static long opusPacketNanos(byte[] b, int p, int end) {
    int toc = b[p] & 0xFF;
    int config = toc >> 3;
    long frameUs;
    if (config < 12) {
      frameUs = new long[] {10_000, 20_000, 40_000, 60_000}[config & 3];
    } else if (config < 16) {
      frameUs = (config & 1) == 0 ? 10_000 : 20_000;
    } else {
      frameUs = new long[] {2_500, 5_000, 10_000, 20_000}[config & 3];
    }
    int count = switch (toc & 3) {
      case 0 -> 1;
      case 1, 2 -> 2;
      default -> p + 1 < end ? (b[p + 1] & 0x3F) : 1;
    };
    return frameUs * count * 1000;
  }

  private static String codec(String id, long bits) {
    if (id.startsWith("A_AAC")) return "aac";
    if (id.startsWith("A_PCM/INT/LIT")) return bits > 0 ? "pcm_s" + bits + "le" : "pcm";
    if (id.startsWith("A_PCM/INT/BIG")) return bits > 0 ? "pcm_s" + bits + "be" : "pcm";
    if (id.startsWith("A_PCM/FLOAT")) return bits > 0 ? "pcm_f" + bits + "le" : "pcm";
    return switch (id) {
      case "A_OPUS" -> "opus";
      case "A_VORBIS" -> "vorbis";
      case "A_FLAC" -> "flac";
      case "A_MPEG/L3" -> "mp3";
      case "A_MPEG/L2" -> "mp2";
      case "A_AC3" -> "ac3";
      case "A_EAC3" -> "eac3";
      case "A_ALAC" -> "alac";
      default -> id.toLowerCase();
    };
  }

  // --- EBML primitives -------------------------------------------------------------------------

  /** Parses an element header at p (ID keeps its marker bits); null if it does not fit or is invalid. */
  private static El element(byte[] b, int p) {
    if (p >= b.length) return null;
    int idLen = vintLength(b[p]);
    if (idLen == 0 || idLen > 4 || p + idLen >= b.length) return null;
    int id = (int) vint(b, p, idLen, false);
    int sizeLen = vintLength(b[p + idLen]);
    if (sizeLen == 0 || p + idLen + sizeLen > b.length) return null;
    long size = vint(b, p + idLen, sizeLen, true);
    long allOnes = (1L << (7 * sizeLen)) - 1;
    if (size == allOnes) size = UNKNOWN;
    return new El(id, size, idLen + sizeLen);
  }

  private static int vintLength(byte first) {
    int v = first & 0xFF;
    return v == 0 ? 0 : Integer.numberOfLeadingZeros(v) - 23;
  }

  private static long vint(byte[] b, int p, int len, boolean stripMarker) {
    long v = b[p] & 0xFF;
    if (stripMarker) v &= (0xFF >> len);
    for (int k = 1; k < len; k++) v = (v << 8) | (b[p + k] & 0xFF);
    return v;
  }

  private static long uint(byte[] b, int p, int n) {
    long v = 0;
    for (int k = 0; k < Math.min(n, 8); k++) v = (v << 8) | (b[p + k] & 0xFF);
    return v;
  }

  private static double flt(byte[] b, int p, int n) {
    if (n == 4) return Float.intBitsToFloat((int) Bytes.u32be(b, p));
    if (n == 8) return Double.longBitsToDouble(Bytes.u64be(b, p));
    return Double.NaN;
  }
}
