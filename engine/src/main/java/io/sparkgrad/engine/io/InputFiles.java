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
  private InputFiles() {}

  /**
   * An open file. {@code rawSize} is the file's size when it is not compressed, so a reader can
   * compare a header's claims with the bytes present before allocating; -1 for gzip.
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
      InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        if (gzip) {
          InputStream inflated = new GZIPInputStream(in, 1 << 16);
          return new Opened(new Limited(inflated, maxBytes, file, limitHint), true, -1);
        }
        if (size > maxBytes) {
          throw tooLarge(file, "the file is " + size + " bytes", maxBytes, limitHint);
        }
        return new Opened(in, false, size);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  /**
   * Translates a failed read: a damaged gzip stream is bad content ({@link ModelFileException});
   * anything else is an operating-system problem and stays an I/O error.
   */
  static RuntimeException readFailure(Path file, IOException e) {
    if (e instanceof ZipException || e instanceof EOFException) {
      return new ModelFileException(
          file
              + ": the gzip stream is corrupt or truncated ("
              + e.getMessage()
              + "); expected a complete gzip file. Download or copy the file again, and check it"
              + " with `gzip -t`.",
          e);
    }
    return new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
  }

  private static ModelFileException tooLarge(Path file, String got, long max, String hint) {
    return ModelFileException.of(
        file.toString(), got, "at most " + max + " bytes of content", hint);
  }

  /** Counts content bytes and fails once more than the limit has been produced. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private final Path file;
    private final String hint;
    private long count;

    Limited(InputStream in, long max, Path file, String hint) {
      super(in);
      this.max = max;
      this.file = file;
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
        throw tooLarge(file, "the decompressed content exceeds " + max + " bytes", max, hint);
      }
    }
  }
}
