package io.voicedrop.audio.analysis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.metadata.StreamInfo;

/**
 * Native FLAC through jFLAC ({@code org.jflac:jflac-codec}), a frame at a time. Before jFLAC sees the stream, the
 * metadata blocks are read here and only STREAMINFO is passed on: jFLAC sizes the picture and comment buffers from
 * lengths in the file, so a hostile tag could make it allocate gigabytes, and those blocks carry nothing the analysis
 * needs.
 */
final class FlacDecoder implements StreamDecoder {

  private static final int STREAMINFO = 0;
  private static final int STREAMINFO_LENGTH = 34;
  private static final int MAX_METADATA_BLOCKS = 1024;

  @Override
  public void decode(InputStream in, PcmSink sink) throws IOException, DamagedAudioException {
    InputStream frames = withStreamInfoOnly(in);
    FLACDecoder decoder = new FLACDecoder(frames);
    StreamInfo info;
    try {
      decoder.readMetadata();
      info = decoder.getStreamInfo();
    } catch (IOException | RuntimeException e) {
      rethrowReadFailure(e);
      throw new DamagedAudioException("unreadable STREAMINFO: " + e.getMessage());
    }
    if (info == null || info.getChannels() < 1 || info.getSampleRate() < 1) {
      throw new DamagedAudioException("no usable STREAMINFO");
    }
    int channels = info.getChannels();
    sink.start(info.getSampleRate(), channels);
    float[] out = new float[0];
    long decoded = 0;
    long firstDamage = -1;
    while (true) {
      Frame frame;
      try {
        frame = decoder.readNextFrame();
      } catch (IOException | RuntimeException e) {
        rethrowReadFailure(e);
        throw new DamagedAudioException(damage(decoded, info, e.getMessage()));
      }
      if (frame == null) {
        break;
      }
      if (decoder.getBadFrames() > 0 && firstDamage < 0) {
        firstDamage = decoded; // jFLAC skipped to the next frame it could read: go on, and say so at the end
      }
      int n = frame.header.blockSize;
      if (frame.header.channels != channels) {
        throw new DamagedAudioException(damage(decoded, info, "the channel count changes"));
      }
      if (out.length < n * channels) {
        out = new float[n * channels];
      }
      float scale = 1f / (1L << (Math.max(1, frame.header.bitsPerSample) - 1));
      ChannelData[] data = decoder.getChannelData();
      for (int c = 0; c < channels; c++) {
        int[] pcm = data[c].getOutput();
        for (int i = 0, j = c; i < n; i++, j += channels) {
          out[j] = pcm[i] * scale;
        }
      }
      decoded += n;
      if (!sink.accept(out, n)) {
        return;
      }
    }
    if (decoder.getBadFrames() > 0) {
      throw new DamagedAudioException(damage(firstDamage < 0 ? decoded : firstDamage, info,
          decoder.getBadFrames() + " damaged frame(s) skipped"));
    }
  }

  private static String damage(long decoded, StreamInfo info, String what) {
    return String.format(java.util.Locale.ROOT, "FLAC stream damaged after %.1f s: %s",
        decoded / (double) info.getSampleRate(), what);
  }

  private static void rethrowReadFailure(Throwable e) throws SourceReadException {
    SourceReadException read = SourceReadException.in(e);
    if (read != null) {
      throw read;
    }
  }

  /** "fLaC", the STREAMINFO block marked last, then the frames as they come. */
  static InputStream withStreamInfoOnly(InputStream in) throws IOException, DamagedAudioException {
    LittleEndianReader r = new LittleEndianReader(in);
    byte[] head = new byte[4];
    if (r.readFully(head, 0, 4) < 4 || head[0] != 'f' || head[1] != 'L' || head[2] != 'a' || head[3] != 'C') {
      throw new DamagedAudioException("no fLaC marker");
    }
    byte[] streamInfo = null;
    boolean last = false;
    for (int i = 0; i < MAX_METADATA_BLOCKS && !last; i++) {
      byte[] h = new byte[4];
      if (r.readFully(h, 0, 4) < 4) {
        throw new DamagedAudioException("the stream ends inside the metadata");
      }
      last = (h[0] & 0x80) != 0;
      int type = h[0] & 0x7F;
      int length = (h[1] & 0xFF) << 16 | (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
      if (type == STREAMINFO && streamInfo == null) {
        if (length != STREAMINFO_LENGTH) {
          throw new DamagedAudioException("STREAMINFO of " + length + " bytes");
        }
        streamInfo = new byte[4 + length];
        streamInfo[0] = (byte) 0x80; // last block, type 0
        streamInfo[1] = h[1];
        streamInfo[2] = h[2];
        streamInfo[3] = h[3];
        if (r.readFully(streamInfo, 4, length) < length) {
          throw new DamagedAudioException("truncated STREAMINFO");
        }
      } else if (!r.skip(length)) {
        throw new DamagedAudioException("the stream ends inside a metadata block");
      }
    }
    if (streamInfo == null || !last) {
      throw new DamagedAudioException(streamInfo == null ? "no STREAMINFO" : "too many metadata blocks");
    }
    byte[] prefix = new byte[4 + streamInfo.length];
    System.arraycopy(head, 0, prefix, 0, 4);
    System.arraycopy(streamInfo, 0, prefix, 4, streamInfo.length);
    return new SequenceInputStream(new ByteArrayInputStream(prefix), in);
  }
}
