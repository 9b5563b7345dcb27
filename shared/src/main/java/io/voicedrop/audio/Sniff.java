package io.voicedrop.audio;

/** Recognises common non-audio files and unsupported audio formats by their magic bytes. */
final class Sniff {
  private Sniff() {}

  /** Prefix of {@link #describe} results that name an audio format this probe does not handle. */
  static final String AUDIO = "audio:";

  /**
   * Returns a short description of what {@code m} (the first bytes) looks like, prefixed with
   * {@link #AUDIO} for audio formats the probe does not handle, or null if it is not recognised.
   */
  static String describe(byte[] m) {
    if (Bytes.startsWith(m, 0, 0x89, 'P', 'N', 'G')) return "PNG image";
    if (Bytes.startsWith(m, 0, 0xFF, 0xD8, 0xFF)) return "JPEG image";
    if (Bytes.ascii(m, 0, "GIF8")) return "GIF image";
    if (Bytes.ascii(m, 0, "%PDF")) return "PDF document";
    if (Bytes.startsWith(m, 0, 'P', 'K', 3, 4)) return "ZIP archive";
    if (Bytes.startsWith(m, 0, 0x1F, 0x8B)) return "gzip archive";
    if (Bytes.startsWith(m, 0, 0x7F, 'E', 'L', 'F')) return "ELF binary";
    if (Bytes.ascii(m, 0, "BM") && m.length >= 14 && m[6] == 0 && m[7] == 0) return "BMP image";
    if (Bytes.ascii(m, 0, "RIFF")) {
      String form = m.length >= 12 ? Bytes.latin1(m, 8, 4) : "?";
      return switch (form) {
        case "WEBP" -> "WebP image";
        case "AVI " -> "AVI video";
        default -> "RIFF file of form '" + form.strip() + "'";
      };
    }
    if (Bytes.ascii(m, 0, "FORM") && (Bytes.ascii(m, 8, "AIFF") || Bytes.ascii(m, 8, "AIFC"))) {
      return "audio:AIFF";
    }
    if (Bytes.ascii(m, 0, "#!AMR")) return "audio:AMR";
    if (Bytes.ascii(m, 0, "caff")) return "audio:Core Audio Format (CAF)";
    if (Bytes.ascii(m, 0, "MAC ")) return "audio:Monkey's Audio (APE)";
    if (Bytes.ascii(m, 0, "wvpk")) return "audio:WavPack";
    if (Bytes.ascii(m, 0, ".snd")) return "audio:Sun/NeXT AU";
    if (Bytes.startsWith(m, 0, 0x30, 0x26, 0xB2, 0x75)) return "audio:ASF/WMA";
    if (Bytes.ascii(m, 0, "MThd")) return "MIDI file (no recorded audio)";
    if (looksLikeText(m)) return "text";
    return null;
  }

  /** True if the bytes are valid UTF-8 (a cut-off final sequence allowed) without control bytes. */
  private static boolean looksLikeText(byte[] m) {
    int n = Math.min(m.length, 64);
    if (n < 4) {
      return false;
    }
    int i = 0;
    while (i < n) {
      int c = m[i] & 0xFF;
      int extra;
      if (c < 0x80) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
          return false;
        }
        if (c == 0x7F) {
          return false;
        }
        extra = 0;
      } else if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
      } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
      } else {
        return false;
      }
      for (int k = 1; k <= extra && i + k < n; k++) {
        if ((m[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += 1 + extra;
    }
    return true;
  }
}
