package io.voicedrop.audio.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Marks every failure of the underlying stream, checked or not, as a {@link SourceReadException}, and remembers it:
 * a decoder may wrap or swallow the exception (JLayer keeps its cause where {@code getCause()} does not look), but
 * the analysis asks here afterwards.
 */
final class SourceStream extends FilterInputStream {

  private volatile SourceReadException failure;

  SourceStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (SourceReadException e) {
      throw failed(e);
    } catch (IOException e) {
      throw failed(new SourceReadException(e));
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw failed(new SourceReadException(new IOException(e.toString(), e)));
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (SourceReadException e) {
      throw failed(e);
    } catch (IOException e) {
      throw failed(new SourceReadException(e));
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw failed(new SourceReadException(new IOException(e.toString(), e)));
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (SourceReadException e) {
      throw failed(e);
    } catch (IOException e) {
      throw failed(new SourceReadException(e));
    } catch (RuntimeException e) {
      // An SDK client reports a dropped connection unchecked; it is still the source failing, not the audio.
      throw failed(new SourceReadException(new IOException(e.toString(), e)));
    }
  }

  private SourceReadException failed(SourceReadException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  /** The first read failure, or null when every read succeeded. */
  SourceReadException failure() {
    return failure;
  }
}
