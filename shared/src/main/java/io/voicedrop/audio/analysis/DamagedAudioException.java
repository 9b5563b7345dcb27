package io.voicedrop.audio.analysis;

/** The stream could not be decoded from some point on; what came before it was delivered. */
final class DamagedAudioException extends Exception {
  DamagedAudioException(String message) {
    super(message);
  }
}
