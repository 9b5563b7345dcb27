package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.time.Duration;

/** RIFF/WAVE, RF64 and BW64: walks chunk headers up to "fmt " and "data", never reads samples. */
final class Wav {
  private Wav() {}

  private static final int MAX_CHUNKS = 256;
  private static final long UNKNOWN32 = 0xFFFFFFFFL;

  static AudioInfo probe(RangeReader r, long start) throws AudioProbeException {
    byte[] h = r.readFully(start, 12, "RIFF header");
    boolean rf64 = !Bytes.ascii(h, 0, "RIFF");
    long ds64Data = -1;
    long ds64Samples = -1;
    byte[] fmt = null;
    long factSamples = -1;
    long dataOff = -1;
    long dataSize = -1;

    long pos = start + 12;
    for (int i = 0; i < MAX_CHUNKS && pos + 8 <= r.size(); i++) {
      byte[] ch = r.read(pos, 8);
      if (ch.length < 8) {
        break;
      }
      String id = Bytes.latin1(ch, 0, 4);
      long len = Bytes.u32le(ch, 4);
      long body = pos + 8;
      switch (id) {
        case "ds64" -> {
          byte[] d = r.readFully(body, 28, "ds64 chunk");
          ds64Data = Bytes.u64le(d, 8);
          ds64Samples = Bytes.u64le(d, 16);
        }
        case "fmt " -> {
          if (len < 16) {
            throw new AudioProbeException(Reason.CORRUPT_HEADER, "WAV fmt chunk too short: " + len);
          }
          fmt = r.readFully(body, (int) Math.min(len, 40), "WAV fmt chunk");
        }
        case "fact" -> {
          if (len >= 4) {
            factSamples = Bytes.u32le(r.readFully(body, 4, "WAV fact chunk"), 0);
          }
        }
        case "data" -> {
          dataOff = body;
          dataSize = len;
          if (rf64 && len == UNKNOWN32 && ds64Data >= 0) {
            dataSize = ds64Data;
          }
        }
        default -> {}
      }
      if (fmt != null && dataOff >= 0) {
        break;
      }
      long next;
      if (id.equals("data") && (rf64 && len == UNKNOWN32)) {
        next = body + (ds64Data >= 0 ? ds64Data : Long.MAX_VALUE / 2);
      } else {
        next = body + len + (len & 1);
      }
      if (next <= pos) {
        break;
      }
      pos = next;
    }
    if (fmt == null) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "WAV without a fmt chunk");
    }
    if (dataOff < 0) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "WAV without a data chunk");
    }

    WavFormat f = WavFormat.of(fmt);
    int tag = f.tag();
    int channels = f.channels();
    long rate = f.sampleRate();
    long byteRate = f.byteRate();
    int blockAlign = f.blockAlign();
    int bits = f.bitsPerSample();
    if (channels == 0 || rate == 0 || rate > 10_000_000) {
      throw new AudioProbeException(
          Reason.CORRUPT_HEADER, "WAV fmt has channels=" + channels + " rate=" + rate);
    }

    // The data chunk may claim more than is there (truncated upload) or 0/0xFFFFFFFF (streamed).
    long available = r.size() - dataOff;
    if (dataSize < 0 || dataSize > available || (dataSize == 0 && available > 0)
        || (!rf64 && dataSize == UNKNOWN32)) {
      dataSize = Math.max(0, available);
    }

    boolean pcmLike = tag == 1 || tag == 3 || tag == 6 || tag == 7;
    Duration duration;
    if (pcmLike && blockAlign > 0) {
      duration = Bytes.duration(dataSize / blockAlign, rate);
    } else if (ds64Samples > 0) {
      duration = Bytes.duration(ds64Samples, rate);
    } else if (factSamples >= 0) {
      duration = Bytes.duration(factSamples, rate);
    } else if (byteRate > 0) {
      duration = Bytes.duration(dataSize, byteRate);
    } else {
      duration = null;
    }
    return new AudioInfo(AudioFormat.WAV, codec(tag, bits), (int) rate, channels, duration);
  }

  static String codec(int tag, int bits) {
    return switch (tag) {
      case 1 -> bits <= 8 ? "pcm_u8" : "pcm_s" + bits + "le";
      case 3 -> "pcm_f" + bits + "le";
      case 6 -> "pcm_alaw";
      case 7 -> "pcm_mulaw";
      case 2 -> "adpcm_ms";
      case 0x11 -> "adpcm_ima_wav";
      case 0x31 -> "gsm_ms";
      case 0x50 -> "mp2";
      case 0x55 -> "mp3";
      default -> String.format("wav_0x%04x", tag);
    };
  }
}
