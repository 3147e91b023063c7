package io.sparkgrad.engine.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens data files that may be gzip-compressed, with a bound on the bytes they can yield. */
final class InputFiles {
  // Small files are common (labels, CSVs), so buffers stay modest; large ones read in chunks
  // anyway.
  private static final int BUFFER_BYTES = 1 << 14;

  private InputFiles() {}

  /**
   * An open file. {@code rawSize} is the file's size when it is known and not compressed, so a
   * reader can compare a header's claims with the bytes present before allocating; else -1.
   */
  record Opened(InputStream in, boolean gzip, long rawSize) {}

  /**
   * Opens {@code file}, decompressing it when it starts with the gzip magic bytes 1f 8b (the name
   * is not consulted). At most {@code maxBytes} bytes of content can be read; past that the stream
   * throws a {@link ModelFileException}, so a decompression bomb cannot exhaust memory.
   */
  static Opened open(Path file, long maxBytes, String limitHint) {
    try {
      long size = Files.size(file);
      InputStream in = Files.newInputStream(file);
      try {
        return wrap(in, size, file.toString(), maxBytes, limitHint);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (IOException e) {
      throw readFailure(file.toString(), e);
    }
  }

  /**
   * As {@link #open} for a stream whose size is {@code rawSize}, or -1 when unknown. Closing the
   * returned stream closes {@code in}.
   */
  static Opened wrap(InputStream in, long rawSize, String source, long maxBytes, String limitHint)
      throws IOException {
    InputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
    buffered.mark(2);
    boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
    buffered.reset();
    if (gzip) {
      InputStream inflated = new GZIPInputStream(buffered, BUFFER_BYTES);
      return new Opened(new Limited(inflated, maxBytes, source, limitHint), true, -1);
    }
    if (rawSize > maxBytes) {
      throw tooLarge(source, "the file is " + rawSize + " bytes", maxBytes, limitHint);
    }
    return new Opened(new Limited(buffered, maxBytes, source, limitHint), false, rawSize);
  }

  /** {@code in} with a close() that leaves it open, for readers of streams the caller owns. */
  static InputStream shielded(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /**
   * Translates a failed read: a damaged gzip stream is bad content ({@link ModelFileException});
   * anything else is an operating-system problem and stays an I/O error.
   */
  static RuntimeException readFailure(String source, IOException e) {
    if (e instanceof ZipException || e instanceof EOFException) {
      return new ModelFileException(
          source
              + ": the gzip stream is corrupt or truncated ("
              + e.getMessage()
              + "); expected a complete gzip file. Download or copy the file again, and check it"
              + " with `gzip -t`.",
          e);
    }
    return new UncheckedIOException("Cannot read " + source + ": " + e.getMessage(), e);
  }

  private static ModelFileException tooLarge(String source, String got, long max, String hint) {
    return ModelFileException.of(source, got, "at most " + max + " bytes of content", hint);
  }

  /** Counts content bytes and fails once more than the limit has been produced. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private final String source;
    private final String hint;
    private long count;

    Limited(InputStream in, long max, String source, String hint) {
      super(in);
      this.max = max;
      this.source = source;
      this.hint = hint;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      add(skipped);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void add(long n) {
      count += n;
      if (count > max) {
        throw tooLarge(source, "the content exceeds " + max + " bytes", max, hint);
      }
    }
  }
}
