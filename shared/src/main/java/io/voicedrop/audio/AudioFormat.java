package io.voicedrop.audio;

/** Container (and, where the container alone is ambiguous, codec) detected by {@link AudioProbe}. */
public enum AudioFormat {
  /** RIFF/WAVE, RF64 or BW64. The codec is usually PCM but may be e.g. A-law or ADPCM. */
  WAV,
  /** MPEG-1/2/2.5 audio (layer III, and layers I/II which share the framing). */
  MP3,
  /** Raw AAC in ADTS framing (".aac"). */
  AAC_ADTS,
  /** Native FLAC. */
  FLAC,
  /** Opus in Ogg (".opus", ".ogg"). */
  OGG_OPUS,
  /** Vorbis in Ogg (".ogg", ".oga"). */
  OGG_VORBIS,
  /** FLAC in Ogg (".oga"). */
  OGG_FLAC,
  /** AAC (LC, HE, HE v2) in an ISO-BMFF/QuickTime container (".m4a", ".mp4", ".mov"). */
  M4A_AAC,
  /** Any other audio codec (ALAC, Opus, FLAC, MP3, AC-3, ...) in an ISO-BMFF/QuickTime container. */
  M4A_OTHER,
  /** WebM (Matroska with DocType "webm"), e.g. browser MediaRecorder output. */
  WEBM,
  /** Matroska with DocType "matroska" (".mka", ".mkv"). */
  MATROSKA
}
