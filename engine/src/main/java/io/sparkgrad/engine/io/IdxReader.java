package io.sparkgrad.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * IDX files, the format of MNIST: a magic number (0x0000 0x08 for unsigned bytes, then the number
 * of dimensions), big-endian int32 sizes, then the bytes. Gzip is detected by its magic bytes, not
 * the file name. The header's sizes are checked against the bytes actually present.
 */
public final class IdxReader {
  /** Decompressed size limit: MNIST's largest file is 47 MB; this leaves room for bigger sets. */
  public static final long MAX_BYTES = 1L << 31;

  private IdxReader() {}

  /** The dimensions and raw unsigned bytes of an IDX file. */
  public record IdxFile(int[] dims, byte[] data) {
    public int count() {
      return dims[0];
    }

    /** Values per item: the product of the dimensions after the first. */
    public int itemSize() {
      int n = 1;
      for (int i = 1; i < dims.length; i++) {
        n *= dims[i];
      }
      return n;
    }
  }

  public static IdxFile read(Path file) throws IOException {
    byte[] bytes = readAll(file);
    if (bytes.length < 4) {
      throw new ModelFileException(file + " is " + bytes.length + " bytes, too short for IDX");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int magic = buf.getInt();
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
      throw new ModelFileException(
          file
              + " has magic number 0x"
              + Integer.toHexString(magic)
              + "; expected an unsigned-byte IDX file (0x00000801 labels, 0x00000803 images).");
    }
    int header = 4 + 4 * rank;
    if (bytes.length < header) {
      throw new ModelFileException(
          file + " ends inside its IDX header (" + bytes.length + " bytes)");
    }
    int[] dims = new int[rank];
    long items = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt();
      if (dims[i] < 0) {
        throw new ModelFileException(file + ": dimension " + i + " is negative (" + dims[i] + ")");
      }
      items *= dims[i];
      if (items > MAX_BYTES) {
        throw new ModelFileException(file + ": the header declares over " + MAX_BYTES + " values");
      }
    }
    if (bytes.length - header != items) {
      throw new ModelFileException(
          file
              + ": the header declares "
              + items
              + " values but "
              + (bytes.length - header)
              + " bytes follow it; the file is truncated or not what it claims.");
    }
    byte[] data = new byte[(int) items];
    System.arraycopy(bytes, header, data, 0, data.length);
    return new IdxFile(dims, data);
  }

  private static byte[] readAll(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = raw;
      byte[] head = raw.readNBytes(2);
      in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), raw);
      if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        in = new GZIPInputStream(in);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(chunk)) > 0; ) {
        total += n;
        if (total > MAX_BYTES) {
          throw new ModelFileException(file + " decompresses to over " + MAX_BYTES + " bytes");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (java.util.zip.ZipException e) {
      throw new ModelFileException(file + " is not a valid gzip stream: " + e.getMessage(), e);
    }
  }
}
