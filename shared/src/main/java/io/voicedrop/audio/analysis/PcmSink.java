package io.voicedrop.audio.analysis;

/** Where a decoder delivers audio: the format once, then blocks of interleaved samples scaled to [-1, 1]. */
interface PcmSink {

  void start(int sampleRateHz, int channels);

  /**
   * @param interleaved {@code frames * channels} samples; only valid during the call (decoders reuse it)
   * @return false to stop decoding (a bound was reached)
   */
  boolean accept(float[] interleaved, int frames);
}
