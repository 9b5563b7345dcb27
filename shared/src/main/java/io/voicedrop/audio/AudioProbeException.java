package io.voicedrop.audio;

import java.util.Objects;

/** Why an object could not be probed; {@link #getMessage()} is a short human-readable detail. */
public class AudioProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Machine-readable rejection reason. */
  public enum Reason {
    /** The object has zero bytes. */
    EMPTY,
    /** The bytes are not a recognised audio file (text, image, random data, video without audio). */
    NOT_AUDIO,
    /** The format was recognised but its header is truncated or inconsistent. */
    CORRUPT_HEADER,
    /**
     * Recognised audio that this probe does not handle (e.g. AIFF, AMR, Speex), or whose headers
     * could not be reached within the probe's read budget.
     */
    UNSUPPORTED,
    /** The {@link ByteSource} failed (e.g. a network error); retrying may help. */
    IO_ERROR
  }

  private final Reason reason;

  public AudioProbeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AudioProbeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "AudioProbeException[" + reason + "]: " + getMessage();
  }
}
