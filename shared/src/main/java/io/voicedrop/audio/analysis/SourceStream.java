package io.voicedrop.audio.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Marks every failure of the underlying stream, checked or not, as a {@link SourceReadException}. */
final class SourceStream extends FilterInputStream {

  SourceStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (SourceReadException e) {
      throw e;
    } catch (IOException e) {
      throw new SourceReadException(e);
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw new SourceReadException(new IOException(e.toString(), e));
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (SourceReadException e) {
      throw e;
    } catch (IOException e) {
      throw new SourceReadException(e);
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw new SourceReadException(new IOException(e.toString(), e));
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (SourceReadException e) {
      throw e;
    } catch (IOException e) {
      throw new SourceReadException(e);
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw new SourceReadException(new IOException(e.toString(), e));
    }
  }
}
