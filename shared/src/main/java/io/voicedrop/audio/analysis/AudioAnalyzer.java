package io.voicedrop.audio.analysis;

import io.voicedrop.audio.AudioFormat;
import io.voicedrop.audio.AudioInfo;
import io.voicedrop.audio.analysis.Analysis.Outcome;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Decodes one sample as a stream and measures it ({@link SignalMeter}): WAV (integer PCM and float), FLAC and MP3;
 * any other format is {@link Outcome#NOT_DECODED}. Bounded three ways: the bytes are the sample size limit's (the
 * caller's), the audio is at most {@code maxAudioSeconds}, and the work stops at {@code deadlineNanos} (or when the
 * thread is interrupted). Memory is a decode block plus a few bytes per second of audio, whatever the file says.
 *
 * <p>Thread-safe: every call has its own decoder and meter.
 */
public final class AudioAnalyzer {

  private static final int READ_BUFFER = 64 * 1024;

  /**
   * @param info what the header probe found (chooses the decoder)
   * @param in the sample's bytes from the start; not closed here
   * @param deadlineNanos a {@link System#nanoTime()} value
   * @throws SourceReadException when reading {@code in} failed: a retry may succeed, so this is no verdict
   */
  public Analysis analyse(AudioInfo info, InputStream in, double maxAudioSeconds, long deadlineNanos)
      throws SourceReadException {
    StreamDecoder decoder = decoderFor(info.format());
    if (decoder == null) {
      return new Analysis(Outcome.NOT_DECODED, notDecoded(info), null);
    }
    Bounded sink = new Bounded(new SignalMeter(), maxAudioSeconds, deadlineNanos);
    SourceStream source = new SourceStream(in);
    try {
      decoder.decode(new BufferedInputStream(source, READ_BUFFER), sink);
    } catch (SourceReadException e) {
      throw e;
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      if (source.failure() != null) {
        throw source.failure(); // whatever the decoder made of it, the bytes could not be read
      }
      return failed(info, e, sink);
    }
    if (source.failure() != null) {
      throw source.failure();
    }
    Measures m = sink.meter.measures();
    if (sink.stop == Outcome.LENGTH_BOUND) {
      return new Analysis(Outcome.LENGTH_BOUND, String.format(Locale.ROOT,
          "only the first %.1f s were analysed (the bound per sample)", maxAudioSeconds), m);
    }
    if (sink.stop == Outcome.TIME_LIMIT) {
      return new Analysis(Outcome.TIME_LIMIT, String.format(Locale.ROOT,
          "analysis stopped at the time limit after %.1f s of audio", m == null ? 0 : m.analysedSeconds()), m);
    }
    if (m == null) {
      return new Analysis(Outcome.DAMAGED, "no audio in the stream", null);
    }
    return new Analysis(Outcome.COMPLETE, null, m);
  }

  private static Analysis failed(AudioInfo info, Throwable e, Bounded sink) {
    if (e instanceof NotDecodableException) {
      return new Analysis(Outcome.NOT_DECODED, info.codec() + ": " + e.getMessage(), null);
    }
    if (e instanceof DamagedAudioException) {
      return new Analysis(Outcome.DAMAGED, e.getMessage(), sink.meter.measures());
    }
    if (e instanceof IOException) {
      return new Analysis(Outcome.DAMAGED, "unreadable stream: " + e.getMessage(), sink.meter.measures());
    }
    // A decoder bug on odd input must cost this sample its figures, never the upload.
    return new Analysis(Outcome.FAILED, "the decoder failed (" + e.getClass().getSimpleName() + ")", null);
  }

  static StreamDecoder decoderFor(AudioFormat format) {
    return switch (format) {
      case WAV -> new WavDecoder();
      case FLAC -> new FlacDecoder();
      case MP3 -> new Mp3Decoder();
      default -> null;
    };
  }

  private static String notDecoded(AudioInfo info) {
    return info.format().name().toLowerCase(Locale.ROOT) + " (" + info.codec()
        + ") is not decoded; WAV, FLAC and MP3 are";
  }

  /** Passes audio to the meter until a bound is reached. */
  private static final class Bounded implements PcmSink {
    final SignalMeter meter;
    private final double maxSeconds;
    private final long deadline;
    private long maxFrames = Long.MAX_VALUE;
    Outcome stop;

    Bounded(SignalMeter meter, double maxSeconds, long deadline) {
      this.meter = meter;
      this.maxSeconds = maxSeconds;
      this.deadline = deadline;
    }

    @Override
    public void start(int sampleRateHz, int channels) {
      meter.start(sampleRateHz, channels);
      maxFrames = (long) Math.ceil(maxSeconds * sampleRateHz);
    }

    @Override
    public boolean accept(float[] interleaved, int frames) {
      long room = maxFrames - meter.frames();
      if (frames > room) {
        if (room > 0) {
          meter.accept(interleaved, (int) room);
        }
        stop = Outcome.LENGTH_BOUND;
        return false;
      }
      meter.accept(interleaved, frames);
      if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        stop = Outcome.TIME_LIMIT;
        return false;
      }
      return true;
    }
  }
}
