package io.voicedrop.audio.analysis;

/** The format (or this variant of it) is not decoded here: the sample is "not analysed", never rejected for it. */
final class NotDecodableException extends Exception {
  NotDecodableException(String message) {
    super(message);
  }
}
