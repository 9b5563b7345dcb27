package io.voicedrop.audio.analysis;

/**
 * How the analysis of one sample ended and what it measured.
 *
 * @param detail why it stopped early or was not done, for the user; null when complete
 * @param measures the figures of what was decoded; null when nothing was (not decoded, damaged at the start)
 */
public record Analysis(Outcome outcome, String detail, Measures measures) {

  public enum Outcome {
    /** Decoded to the end. */
    COMPLETE,
    /** Stopped at the most audio one sample may be analysed for; the figures cover the start. */
    LENGTH_BOUND,
    /** Stopped at the time limit; the figures cover what was decoded by then. */
    TIME_LIMIT,
    /** The stream is broken; the figures cover what could be decoded. */
    DAMAGED,
    /** A format that is not decoded here: not analysed, and never rejected for that. */
    NOT_DECODED,
    /** The analysis itself failed (a decoder error); not analysed. */
    FAILED
  }

  /** True when there are figures and they cover the whole sample. */
  public boolean complete() {
    return outcome == Outcome.COMPLETE && measures != null;
  }
}
