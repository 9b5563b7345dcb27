package io.voicedrop.audio;

/**
 * The fields of a WAV {@code fmt } chunk, read one way for the header probe ({@link Wav}) and the analysis' decoder.
 *
 * @param tag the format tag; for {@code WAVE_FORMAT_EXTENSIBLE} the tag its SubFormat GUID starts with
 */
public record WavFormat(int tag, int channels, long sampleRate, long byteRate, int blockAlign, int bitsPerSample) {

  /** {@code fmt} is the chunk's body, at least 16 bytes (the caller checks). */
  public static WavFormat of(byte[] fmt) {
    int tag = Bytes.u16le(fmt, 0);
    if (tag == 0xFFFE && fmt.length >= 26) {
      tag = Bytes.u16le(fmt, 24); // first two bytes of the SubFormat GUID
    }
    return new WavFormat(tag, Bytes.u16le(fmt, 2), Bytes.u32le(fmt, 4), Bytes.u32le(fmt, 8), Bytes.u16le(fmt, 12),
        Bytes.u16le(fmt, 14));
  }
}
