package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ISO-BMFF / QuickTime (m4a, mp4, mov, 3gp). Walks box headers only, skipping mdat and the sample
 * tables by their sizes (including 64-bit sizes), so moov may sit before or after the media data;
 * reads the bodies of mvhd, mehd, mdhd, hdlr and stsd, each capped to a few KiB.
 */
final class Mp4 {
  private static final int MAX_BOXES = 4096;
  private static final int MAX_DEPTH = 8;
  private static final int STSD_CAP = 4096;
  private static final Set<String> IMAGE_BRANDS =
      Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis", "crx ");

  private final RangeReader r;
  private final List<Track> tracks = new ArrayList<>();
  private long movieTimescale;
  private long movieDuration;
  private long fragmentDuration;
  private int boxes;

  private static final class Track {
    String handler = "";
    long timescale;
    long duration;
    long editDuration = -1; // sum of non-empty edit list segments, in the movie timescale
    String codec;
    int rate;
    int channels;
  }

  /** A box header; {@code end} is clamped to the parent, {@code truncated} if it had to be. */
  private record Box(String type, long body, long end, boolean truncated) {}

  private Mp4(RangeReader r) {
    this.r = r;
  }

  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    return new Mp4(r).run(start);
  }

  private AudioInfo run(long start) throws AudioProbeException {
    long size = r.size();
    Box moov = null;
    long pos = start;
    while (pos + 8 <= size) {
      Box b = header(pos, size);
      if (b == null) {
        break;
      }
      if (b.type.equals("ftyp")) {
        byte[] brand = r.read(b.body, 4);
        if (brand.length == 4 && IMAGE_BRANDS.contains(Bytes.latin1(brand, 0, 4))) {
          throw new AudioProbeException(Reason.NOT_AUDIO, "not audio: HEIF/AVIF image");
        }
      }
      if (b.type.equals("moov")) {
        moov = b;
        break;
      }
      pos = b.end;
    }
    if (moov == null) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER,
          "MP4 without a moov box (upload truncated, or recording not finalised)");
    }
    if (moov.truncated) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "MP4 moov box is truncated");
    }
    walk(moov.body, moov.end, 1, null, "moov");

    Track audio = tracks.stream().filter(t -> t.handler.equals("soun")).findFirst().orElse(null);
    if (audio == null) {
      throw new AudioProbeException(Reason.NOT_AUDIO, "not audio: MP4 without an audio track");
    }
    if (audio.codec == null) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "MP4 audio track without a sample description");
    }
    int rate = audio.rate > 0 ? audio.rate : (int) Math.min(audio.timescale, 1_000_000);
    if (rate <= 0 || audio.channels <= 0) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER,
          "MP4 audio track has rate=" + rate + " channels=" + audio.channels);
    }
    Duration d = null;
    if (audio.editDuration > 0 && movieTimescale > 0) {
      d = Bytes.duration(audio.editDuration, movieTimescale); // excludes encoder priming
    } else if (audio.duration > 0 && audio.timescale > 0) {
      d = Bytes.duration(audio.duration, audio.timescale);
    } else if (movieDuration > 0 && movieTimescale > 0) {
      d = Bytes.duration(movieDuration, movieTimescale);
    } else if (fragmentDuration > 0 && movieTimescale > 0) {
      d = Bytes.duration(fragmentDuration, movieTimescale);
    }
    AudioFormat f = audio.codec.startsWith("aac") ? AudioFormat.M4A_AAC : AudioFormat.M4A_OTHER;
    return new AudioInfo(f, audio.codec, rate, audio.channels, d);
  }

  /** Reads the box header at pos; null if fewer than 8 bytes remain. End is clamped to limit. */
  private Box header(long pos, long limit) throws AudioProbeException {
    if (++boxes > MAX_BOXES) {
      throw new AudioProbeException(Reason.UNSUPPORTED, "MP4 has too many boxes to probe");
    }
    byte[] h = r.read(pos, 16);
    if (h.length < 8) {
      return null;
    }
    long size = Bytes.u32be(h, 0);
    String type = Bytes.latin1(h, 4, 4);
    long hdr = 8;
    if (size == 1) {
      if (h.length < 16) {
        throw new AudioProbeException(Reason.CORRUPT_HEADER, "truncated 64-bit MP4 box header");
      }
      size = Bytes.u64be(h, 8);
      hdr = 16;
    } else if (size == 0) {
      size = limit - pos; // box extends to the end of its parent / the file
    }
    if (size < hdr) {
      throw new AudioProbeException(
          Reason.CORRUPT_HEADER, "MP4 box '" + printable(type) + "' at " + pos + " has size " + size);
    }
    boolean truncated = size > limit - pos;
    return new Box(type, pos + hdr, truncated ? limit : pos + size, truncated);
  }

  private void walk(long from, long to, int depth, Track cur, String parent)
      throws AudioProbeException {
    if (depth > MAX_DEPTH) {
      return;
    }
    long pos = from;
    while (pos + 8 <= to && !done()) {
      Box b = header(pos, to);
      if (b == null) {
        break;
      }
      int len = (int) Math.min(b.end - b.body, Integer.MAX_VALUE);
      switch (b.type) {
        case "trak" -> {
          Track t = new Track();
          tracks.add(t);
          walk(b.body, b.end, depth + 1, t, b.type);
        }
        case "mdia", "minf", "stbl", "mvex", "edts" -> walk(b.body, b.end, depth + 1, cur, b.type);
        case "elst" -> {
          if (cur != null) {
            cur.editDuration = editListDuration(r.read(b.body, Math.min(len, 8 + 4 * 20)));
          }
        }
        case "mvhd" -> {
          long[] td = timescaleAndDuration(r.read(b.body, Math.min(len, 32)), "mvhd");
          movieTimescale = td[0];
          movieDuration = td[1];
        }
        case "mehd" -> {
          byte[] m = r.read(b.body, Math.min(len, 12));
          if (m.length >= 8) {
            fragmentDuration = m[0] == 1 && m.length >= 12 ? Bytes.u64be(m, 4) : Bytes.u32be(m, 4);
          }
        }
        case "mdhd" -> {
          if (cur != null) {
            long[] td = timescaleAndDuration(r.read(b.body, Math.min(len, 32)), "mdhd");
            cur.timescale = td[0];
            cur.duration = td[1];
          }
        }
        case "hdlr" -> {
          if (cur != null && parent.equals("mdia")) {
            byte[] h = r.read(b.body, Math.min(len, 12));
            if (h.length >= 12) {
              cur.handler = Bytes.latin1(h, 8, 4);
            }
          }
        }
        case "stsd" -> {
          if (cur != null && cur.codec == null) {
            sampleEntry(r.read(b.body, Math.min(len, STSD_CAP)), cur);
          }
        }
        default -> {}
      }
      pos = b.end;
    }
  }

  /**
   * Sum of the segment durations of the edits that play media (media_time != -1), or -1 if the
   * list is missing, too long to read cheaply, or unparseable. Only the first 4 entries are read.
   */
  private static long editListDuration(byte[] m) {
    if (m.length < 8) {
      return -1;
    }
    boolean v1 = m[0] == 1;
    long count = Bytes.u32be(m, 4);
    int entry = v1 ? 20 : 12;
    if (count == 0 || count > 4 || m.length < 8 + count * entry) {
      return -1;
    }
    long total = 0;
    for (int i = 0; i < count; i++) {
      int p = 8 + i * entry;
      long seg = v1 ? Bytes.u64be(m, p) : Bytes.u32be(m, p);
      long mediaTime = v1 ? Bytes.u64be(m, p + 8) : (int) Bytes.u32be(m, p + 4);
      if (seg < 0) {
        return -1;
      }
      if (mediaTime != -1) {
        total += seg;
      }
    }
    return total;
  }

  /**
   * True once an audio track has its sample description: tkhd, edts and mdhd/hdlr precede stsd,
   * so nothing after it (the sample tables, later tracks, udta) is needed and its box headers need
   * not be fetched.
   */
  private boolean done() {
    for (Track t : tracks) {
      if (t.handler.equals("soun") && t.codec != null) {
        return true;
      }
    }
    return false;
  }

  /** [timescale, duration] from an mvhd/mdhd body; duration 0 when unknown. */
  private static long[] timescaleAndDuration(byte[] m, String what) throws AudioProbeException {
    int v = m.length > 0 ? m[0] : -1;
    if ((v == 0 && m.length >= 20) || (v == 1 && m.length >= 32)) {
      long ts = v == 1 ? Bytes.u32be(m, 20) : Bytes.u32be(m, 12);
      long dur = v == 1 ? Bytes.u64be(m, 24) : Bytes.u32be(m, 16);
      if ((v == 0 && dur == 0xFFFFFFFFL) || dur < 0) {
        dur = 0;
      }
      return new long[] {ts, dur};
    }
    throw new AudioProbeException(Reason.CORRUPT_HEADER, "MP4 " + what + " box truncated or of unknown version");
  }

  /** Parses the first entry of an stsd body (version/flags, entry_count, entries). */
  private static void sampleEntry(byte[] s, Track t) {
    if (s.length < 8 + 36) {
      t.codec = null;
      return;
    }
    int e = 8;
    int entryEnd = (int) Math.min(s.length, e + Bytes.u32be(s, e));
    String type = Bytes.latin1(s, e + 4, 4);
    int qtVersion = Bytes.u16be(s, e + 16);
    t.channels = Bytes.u16be(s, e + 24);
    t.rate = (int) (Bytes.u32be(s, e + 32) >>> 16);
    int children = e + 36;
    if (qtVersion == 1) {
      children += 16;
    } else if (qtVersion == 2 && e + 72 <= s.length) {
      t.rate = (int) Double.longBitsToDouble(Bytes.u64be(s, e + 40));
      t.channels = (int) Bytes.u32be(s, e + 48);
      children = e + 72;
    }
    t.codec = switch (type) {
      case "mp4a" -> "aac";
      case "alac" -> "alac";
      case "Opus" -> "opus";
      case "fLaC" -> "flac";
      case "ac-3" -> "ac3";
      case "ec-3" -> "eac3";
      case ".mp3" -> "mp3";
      case "samr" -> "amr_nb";
      case "sawb" -> "amr_wb";
      case "ulaw" -> "pcm_mulaw";
      case "alaw" -> "pcm_alaw";
      case "sowt" -> "pcm_s16le";
      case "twos" -> "pcm_s16be";
      case "lpcm", "in24", "in32", "fl32", "fl64", "raw " -> "pcm";
      default -> printable(type).strip().toLowerCase();
    };
    if (type.equals("Opus")) {
      t.rate = 48_000;
    }
    codecBoxes(s, children, entryEnd, t, 0);
  }

  /** Looks at the boxes inside a sample entry (esds, dOps, dfLa, alac, and QuickTime's wave). */
  private static void codecBoxes(byte[] s, int from, int to, Track t, int depth) {
    int p = from;
    while (p + 8 <= to && depth < 3) {
      long sz = Bytes.u32be(s, p);
      String type = Bytes.latin1(s, p + 4, 4);
      if (sz < 8) {
        return;
      }
      int end = (int) Math.min(to, p + sz);
      switch (type) {
        case "wave" -> codecBoxes(s, p + 8, end, t, depth + 1);
        case "esds" -> esds(s, p + 12, end, t);
        case "dOps" -> {
          if (p + 10 <= end) {
            t.channels = Bytes.u8(s, p + 9);
          }
        }
        case "dfLa" -> {
          if (p + 12 + 4 + 34 <= end) {
            long packed = Bytes.u64be(s, p + 16 + 10);
            t.rate = (int) (packed >>> 44);
            t.channels = (int) ((packed >>> 41) & 7) + 1;
          }
        }
        case "alac" -> {
          if (p + 12 + 24 <= end) {
            t.channels = Bytes.u8(s, p + 12 + 9);
            t.rate = (int) Bytes.u32be(s, p + 12 + 20);
          }
        }
        default -> {}
      }
      p = end;
    }
  }

  /** ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo (AudioSpecificConfig). */
  private static void esds(byte[] s, int p, int end, Track t) {
    int guard = 0;
    while (p + 2 <= end && guard++ < 16) {
      int tag = Bytes.u8(s, p++);
      int len = 0;
      for (int k = 0; k < 4 && p < end; k++) {
        int c = Bytes.u8(s, p++);
        len = (len << 7) | (c & 0x7F);
        if ((c & 0x80) == 0) {
          break;
        }
      }
      int body = p;
      if (tag == 0x03) { // ES_Descriptor: ES_ID(2) flags(1) [dependsOn(2)] [url] [OCR(2)]
        if (body + 3 > end) return;
        int flags = Bytes.u8(s, body + 2);
        p = body + 3;
        if ((flags & 0x80) != 0) p += 2;
        if ((flags & 0x40) != 0 && p < end) p += 1 + Bytes.u8(s, p);
        if ((flags & 0x20) != 0) p += 2;
      } else if (tag == 0x04) { // DecoderConfigDescriptor
        if (body + 13 > end) return;
        int oti = Bytes.u8(s, body);
        t.codec = switch (oti) {
          case 0x40, 0x66, 0x67, 0x68 -> "aac";
          case 0x69, 0x6B -> "mp3";
          case 0xA5 -> "ac3";
          case 0xA6 -> "eac3";
          case 0xAD -> "opus";
          case 0xDD -> "vorbis";
          default -> String.format("mp4a_0x%02x", oti);
        };
        p = body + 13;
      } else if (tag == 0x05) { // DecoderSpecificInfo
        if (t.codec.equals("aac")) {
          audioSpecificConfig(s, body, Math.min(end, body + len), t);
        }
        return;
      } else {
        p = body + len;
      }
    }
  }

  private static final int[] AAC_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  private static void audioSpecificConfig(byte[] s, int from, int to, Track t) {
    Bits b = new Bits(s, from, to);
    int aot = b.get(5);
    if (aot == 31) aot = 32 + b.get(6);
    int rate = rate(b);
    int chanCfg = b.get(4);
    if (aot == 5 || aot == 29) { // explicit SBR (HE-AAC) / PS (HE-AAC v2): output rate follows
      int ext = rate(b);
      if (ext > 0) rate = ext;
    }
    if (b.overrun) {
      return;
    }
    if (rate > 0) t.rate = rate;
    int ch = switch (chanCfg) {
      case 1, 2, 3, 4, 5, 6 -> chanCfg;
      case 7, 12, 14 -> 8;
      case 11 -> 7;
      default -> 0;
    };
    if (aot == 29 && ch == 1) ch = 2; // parametric stereo decodes to two channels
    if (ch > 0) t.channels = ch;
    t.codec = aot == 5 ? "aac-he" : aot == 29 ? "aac-he-v2" : "aac";
  }

  private static int rate(Bits b) {
    int idx = b.get(4);
    if (idx == 15) return b.get(24);
    return idx < AAC_RATES.length ? AAC_RATES[idx] : 0;
  }

  /** MSB-first bit reader over s[from, to). */
  private static final class Bits {
    private final byte[] s;
    private final int to;
    private long bit;
    boolean overrun;

    Bits(byte[] s, int from, int to) {
      this.s = s;
      this.to = to;
      this.bit = (long) from * 8;
    }

    int get(int n) {
      int v = 0;
      for (int k = 0; k < n; k++) {
        int byteIdx = (int) (bit >> 3);
        if (byteIdx >= to) {
          overrun = true;
          return 0;
        }
        v = (v << 1) | ((s[byteIdx] >> (7 - (int) (bit & 7))) & 1);
        bit++;
      }
      return v;
    }
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return sb.toString();
  }
}
