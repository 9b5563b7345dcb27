package io.voicedrop.audio;

import io.voicedrop.audio.AudioProbeException.Reason;
import java.util.Objects;

/**
 * Identifies an audio object and reads its sample rate, channel count and duration from the
 * headers alone, through a {@link ByteSource} so that an S3 object is probed with a few ranged GETs
 * instead of a download. Handles WAV/RF64, MP3 (ID3v2, Xing/Info, VBRI, CBR estimate), ADTS AAC,
 * FLAC, Ogg Opus/Vorbis/FLAC (duration from the last page's granule position), MP4/M4A (moov before
 * or after mdat, 64-bit box sizes) and WebM/Matroska. Every probe is bounded by a byte budget and a
 * read-count budget, and no length read from the file is used to size an allocation without a cap.
 * A probe normally costs one 64 KiB read; two when the answer sits elsewhere (Ogg and
 * MediaRecorder-style WebM read the last 64 KiB, M4A reads moov after mdat, MP3 skips a large ID3v2
 * tag).
 *
 * <p>Why hand-written: the maintained Java readers need the whole file or a local {@code File}
 * (jaudiotagger and mp3agic work on {@code RandomAccessFile}; Apache Tika buffers streams and pulls
 * in a large dependency tree that slows Lambda cold starts; mp4parser/isoparser covers MP4 only), and
 * none reads a handful of byte ranges from a remote object. The container headers needed here are
 * small, stable and well documented, so a dependency-free reader (about 1,500 lines) is cheaper to
 * own than a heavy library plus a full download.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AudioProbe {
  /** Default cap on bytes fetched per probe. */
  public static final long DEFAULT_MAX_BYTES = 512 * 1024;

  /** Default cap on {@link ByteSource#read} calls per probe. */
  public static final int DEFAULT_MAX_READS = 24;

  /** Size of the first read at offset 0; covers the headers of nearly every file in one request. */
  static final int HEAD = 64 * 1024;

  private final long maxBytes;
  private final int maxReads;

  public AudioProbe() {
    this(DEFAULT_MAX_BYTES, DEFAULT_MAX_READS);
  }

  /**
   * @param maxBytes most bytes one probe may fetch (at least 64 KiB)
   * @param maxReads most {@link ByteSource#read} calls one probe may make (at least 1)
   */
  public AudioProbe(long maxBytes, int maxReads) {
    if (maxBytes < HEAD) {
      throw new IllegalArgumentException("maxBytes must be at least " + HEAD);
    }
    if (maxReads < 1) {
      throw new IllegalArgumentException("maxReads must be at least 1");
    }
    this.maxBytes = maxBytes;
    this.maxReads = maxReads;
  }

  /** Reads only headers (and, for Ogg and some WebM, one tail range) of {@code src}. */
  public AudioInfo probe(ByteSource src) throws AudioProbeException {
    Objects.requireNonNull(src, "src");
    long size;
    try {
      size = src.size();
    } catch (RuntimeException e) {
      throw new AudioProbeException(Reason.IO_ERROR, "could not get object size: " + e, e);
    }
    if (size <= 0) {
      throw new AudioProbeException(Reason.EMPTY, "the file is empty (0 bytes)");
    }
    RangeReader r = new RangeReader(src, size, maxBytes, maxReads);
    r.readExact(0, HEAD); // one request that usually holds every header we need

    long start = Mpeg.skipId3v2(r, 0);
    byte[] m = r.read(start, 64);
    if (start > 0 && m.length == 0) {
      throw new AudioProbeException(Reason.CORRUPT_HEADER, "ID3v2 tag with no audio after it");
    }
    if (Bytes.ascii(m, 8, "WAVE")
        && (Bytes.ascii(m, 0, "RIFF") || Bytes.ascii(m, 0, "RF64") || Bytes.ascii(m, 0, "BW64"))) {
      return Wav.probe(r, start);
    }
    if (Bytes.ascii(m, 0, "fLaC")) {
      return Flac.probe(r, start);
    }
    if (Bytes.ascii(m, 0, "OggS")) {
      return Ogg.probe(r, start);
    }
    if (Bytes.startsWith(m, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return Matroska.probe(r, start);
    }
    if (Bytes.ascii(m, 4, "ftyp")) {
      return Mp4.probe(r, start);
    }
    String other = Sniff.describe(m);
    if (other != null && other.startsWith(Sniff.AUDIO)) {
      throw new AudioProbeException(
          Reason.UNSUPPORTED, other.substring(Sniff.AUDIO.length()) + " is not supported");
    }
    if (other != null) {
      throw new AudioProbeException(Reason.NOT_AUDIO, "not audio: " + other);
    }
    AudioInfo mpeg = Mpeg.probe(r, start);
    if (mpeg != null) {
      return mpeg;
    }
    if (start > 0) {
      throw new AudioProbeException(
          Reason.CORRUPT_HEADER, "ID3v2 tag not followed by recognisable MPEG audio frames");
    }
    throw new AudioProbeException(Reason.NOT_AUDIO, "not a recognised audio format");
  }
}
