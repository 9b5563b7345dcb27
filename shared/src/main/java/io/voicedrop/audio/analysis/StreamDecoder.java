package io.voicedrop.audio.analysis;

import java.io.IOException;
import java.io.InputStream;

/** Decodes one format from a stream, block by block, into a {@link PcmSink}; never holds the whole file. */
interface StreamDecoder {

  /**
   * Decodes until the stream ends or the sink stops it.
   *
   * @throws DamagedAudioException when the stream is broken; the sink has had whatever came before the damage
   * @throws NotDecodableException when this variant of the format is not decoded (e.g. ADPCM in a WAV)
   * @throws SourceReadException when reading the stream itself failed (a retry may succeed)
   */
  void decode(InputStream in, PcmSink sink) throws IOException, DamagedAudioException, NotDecodableException;
}
