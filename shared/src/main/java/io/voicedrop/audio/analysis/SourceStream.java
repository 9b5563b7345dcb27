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

  /** One read of the underlying stream. */
  private interface Read {
    long call() throws IOException;
  }

  @Override
  public int read() throws IOException {
    return (int) guarded(super::read);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return (int) guarded(() -> super.read(b, off, len));
  }

  @Override
  public long skip(long n) throws IOException {
    return guarded(() -> super.skip(n));
  }

  private long guarded(Read read) throws SourceReadException {
    try {
      return read.call();
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
