package io.voicedrop.audio.analysis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Locale;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MPEG audio (layers I–III) through JLayer ({@code javazoom:jlayer}), a frame at a time. The ID3v2 tag is skipped
 * here first, because JLayer reads the whole tag into an array sized from the file. A frame JLayer cannot decode is
 * skipped and counted; after {@link #MAX_BAD_FRAMES} of them the stream is given up on. JLayer also steps over
 * bytes that are no frame without a word, so the bytes it reads are compared with the sizes of the frames it
 * returned: more than {@link #RESYNC_SLACK} unaccounted for (beyond its read-ahead) means it skipped damage.
 */
final class Mp3Decoder implements StreamDecoder {

  static final int MAX_BAD_FRAMES = 32;
  private static final Object FIRST_FRAME = new Object();
  /** JLayer's own buffers read ahead by up to about 16 KiB; anything unaccounted for past this was skipped. */
  static final long RESYNC_SLACK = 24 * 1024;

  @Override
  public void decode(InputStream in, PcmSink sink) throws IOException, DamagedAudioException {
    Counted counted = new Counted(withoutId3v2(in));
    Bitstream bits = new Bitstream(counted);
    long frameBytes = 0;
    long baseline = -1;
    Decoder decoder = new Decoder();
    int channels = 0;
    int rate = 0;
    long decoded = 0;
    long firstDamage = -1;
    int bad = 0;
    String lastError = null;
    float[] out = new float[2 * 1152];
    while (bad <= MAX_BAD_FRAMES) {
      Header header;
      try {
        header = bits.readFrame();
      } catch (Exception e) {
        rethrowReadFailure(e);
        lastError = e.getMessage();
        firstDamage = firstDamage < 0 ? decoded : firstDamage;
        bad = MAX_BAD_FRAMES + 1; // the bitstream lost its footing: stop here
        break;
      }
      if (header == null) {
        break;
      }
      frameBytes += header.framesize + 4;
      long unaccounted = counted.count - frameBytes;
      if (baseline < 0) {
        baseline = unaccounted;
      } else if (unaccounted - baseline > RESYNC_SLACK && firstDamage < 0) {
        firstDamage = decoded;
        lastError = (unaccounted - baseline) / 1024 + " KiB that are no MPEG frames were skipped";
        baseline = unaccounted;
      }
      try {
        SampleBuffer buffer;
        if (channels == 0) {
          // JLayer fills static tables lazily when it builds its layer decoder and synthesis filters, on the first
          // frame: two first frames at once could see half-built tables.
          synchronized (FIRST_FRAME) {
            buffer = (SampleBuffer) decoder.decodeFrame(header, bits);
          }
        } else {
          buffer = (SampleBuffer) decoder.decodeFrame(header, bits);
        }
        int c = buffer.getChannelCount();
        if (channels == 0) {
          channels = c;
          rate = header.frequency();
          sink.start(rate, channels);
        } else if (c != channels || header.frequency() != rate) {
          throw new DamagedAudioException(damage(decoded, rate, "the format changes mid-stream"));
        }
        int n = buffer.getBufferLength() / channels;
        short[] pcm = buffer.getBuffer();
        if (out.length < n * channels) {
          out = new float[n * channels];
        }
        for (int i = 0; i < n * channels; i++) {
          out[i] = pcm[i] / 32768f;
        }
        decoded += n;
        if (n > 0 && !sink.accept(out, n)) {
          return;
        }
      } catch (DamagedAudioException e) {
        throw e;
      } catch (Exception e) {
        rethrowReadFailure(e);
        bad++;
        lastError = e.toString();
        firstDamage = firstDamage < 0 ? decoded : firstDamage;
      } finally {
        bits.closeFrame();
      }
    }
    if (channels == 0) {
      throw new DamagedAudioException("no decodable MPEG audio frame" + (lastError == null ? "" : ": " + lastError));
    }
    if (firstDamage >= 0) {
      String what = bad > MAX_BAD_FRAMES ? "decoding stopped" : bad > 0 ? bad + " damaged frame(s) skipped" : null;
      throw new DamagedAudioException(damage(firstDamage, rate, what == null ? lastError
          : what + (lastError == null ? "" : " (" + lastError + ")")));
    }
  }

  private static String damage(long decoded, int rate, String what) {
    return String.format(Locale.ROOT, "MPEG audio damaged after %.1f s: %s", decoded / (double) rate, what);
  }

  private static void rethrowReadFailure(Throwable e) throws SourceReadException {
    SourceReadException read = SourceReadException.in(e);
    if (read != null) {
      throw read;
    }
  }

  /** The stream after a leading ID3v2 tag (or the whole stream when it has none). */
  static InputStream withoutId3v2(InputStream in) throws IOException {
    LittleEndianReader r = new LittleEndianReader(in);
    byte[] head = new byte[10];
    int n = r.readFully(head, 0, 10);
    boolean tag = n == 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3'
        && (head[6] | head[7] | head[8] | head[9]) >= 0 && ((head[6] | head[7] | head[8] | head[9]) & 0x80) == 0;
    if (!tag) {
      return new SequenceInputStream(new ByteArrayInputStream(head, 0, n), in);
    }
    long size = (head[6] & 0x7FL) << 21 | (head[7] & 0x7FL) << 14 | (head[8] & 0x7FL) << 7 | (head[9] & 0x7FL);
    boolean footer = (head[5] & 0x10) != 0;
    r.skip(size + (footer ? 10 : 0));
    return in;
  }

  /** Counts the bytes JLayer takes from the stream. */
  private static final class Counted extends java.io.FilterInputStream {
    long count;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += Math.max(0, k);
      return k;
    }
  }
}
