package io.voicedrop.audio.analysis;

import java.io.IOException;

/**
 * Reading the bytes failed (a network or storage error), as opposed to the bytes being bad. Decoders report both
 * as {@link IOException}; {@link SourceStream} marks the first kind so that a transient read failure is retried
 * instead of being called damaged audio.
 */
public final class SourceReadException extends IOException {
  SourceReadException(IOException cause) {
    super("reading the sample failed: " + cause.getMessage(), cause);
  }

  /** The read failure behind {@code e}, if {@code e} is one or was caused by one. */
  static SourceReadException in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SourceReadException s) {
        return s;
      }
    }
    return null;
  }
}
