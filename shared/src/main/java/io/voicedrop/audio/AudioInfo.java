package io.voicedrop.audio;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link AudioProbe} found out about an audio object.
 *
 * @param format container format
 * @param codec lower-case codec name in ffmpeg's vocabulary where one exists, e.g. {@code
 *     pcm_s16le}, {@code mp3}, {@code aac}, {@code aac-he}, {@code flac}, {@code opus}, {@code
 *     vorbis}, {@code alac}
 * @param sampleRateHz sample rate in Hz (for Opus: the 48 kHz decoding rate, as ffprobe reports)
 * @param channels number of channels
 * @param duration play time, or {@code null} when the headers do not say and it cannot be derived
 *     cheaply; for MP3 without a Xing/VBRI header, ADTS and WebM without a Duration element it is
 *     an estimate
 */
public record AudioInfo(
    AudioFormat format, String codec, int sampleRateHz, int channels, Duration duration) {

  public AudioInfo {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(codec, "codec");
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz must be positive: " + sampleRateHz);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be positive: " + channels);
    }
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + duration);
    }
  }
}
