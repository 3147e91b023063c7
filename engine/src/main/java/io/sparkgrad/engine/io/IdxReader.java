package io.sparkgrad.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST ({@code train-images-idx3-ubyte.gz} and
 * friends), raw or gzip-compressed; compression is detected from the content, not the name.
 *
 * <p>Layout: a 4-byte big-endian magic {@code 00 00 <type> <ndims>}, then {@code ndims} 4-byte
 * big-endian dimensions, then the values row-major. Only type 0x08 (unsigned byte) is read. The
 * header is never trusted: the dimensions' product must fit the size limit and equal the bytes
 * actually present, which is checked before any buffer of that size exists.
 */
public final class IdxReader {
  /** Magic number of an MNIST image file: unsigned bytes, 3 dimensions (count, rows, cols). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an MNIST label file: unsigned bytes, 1 dimension (count). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Default bound on the (decompressed) values read: 1 GiB; MNIST's largest file holds 47 MB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private static final int UBYTE = 0x08;
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int MAX_HEADER_BYTES = 4 + 255 * 4;
  private static final String LIMIT_HINT =
      "If the file is genuine, pass a larger limit to IdxReader.read(file, maxBytes);"
          + " otherwise replace the file";

  private IdxReader() {}

  /** Reads an IDX file of unsigned bytes with any number of dimensions. */
  public static IdxFile read(Path file) {
    return read(file, DEFAULT_MAX_BYTES);
  }

  /** As {@link #read(Path)}, refusing files whose values take more than {@code maxBytes}. */
  public static IdxFile read(Path file, long maxBytes) {
    checkLimit(maxBytes);
    // The content holds the header (at most 4 + 255*4 bytes) on top of the values.
    InputFiles.Opened opened = InputFiles.open(file, maxBytes + MAX_HEADER_BYTES, LIMIT_HINT);
    try (InputStream in = opened.in()) {
      return parse(in, opened.rawSize(), file.toString(), maxBytes);
    } catch (IOException e) {
      throw InputFiles.readFailure(file.toString(), e);
    }
  }

  /**
   * Reads IDX content, raw or gzip, from a stream such as one opened on a distributed file system;
   * the stream is read to its end and not closed.
   *
   * @param sourceName names the stream in error messages
   */
  public static IdxFile read(InputStream in, String sourceName, long maxBytes) {
    checkLimit(maxBytes);
    try (InputStream content =
        InputFiles.wrap(
                InputFiles.shielded(in), -1, sourceName, maxBytes + MAX_HEADER_BYTES, LIMIT_HINT)
            .in()) {
      return parse(content, -1, sourceName, maxBytes);
    } catch (IOException e) {
      throw InputFiles.readFailure(sourceName, e);
    }
  }

  private static void checkLimit(long maxBytes) {
    if (maxBytes < 0 || maxBytes > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "maxBytes must be in [0, " + MAX_ARRAY + "] (a Java array's limit); got " + maxBytes);
    }
  }

  /**
   * MNIST images as a flat array of {@code count * rows * cols} floats, raw values 0..255 (no
   * scaling), image after image; the file must have magic 0x00000803.
   */
  public static float[] images(Path file) {
    return expect(read(file), file.toString(), IMAGES_MAGIC).toFloats();
  }

  /** MNIST labels as floats (0..9 for MNIST); the file must have magic 0x00000801. */
  public static float[] labels(Path file) {
    return expect(read(file), file.toString(), LABELS_MAGIC).toFloats();
  }

  private static IdxFile expect(IdxFile idx, String source, int magic) {
    int ndims = magic & 0xff;
    String layout = magic == IMAGES_MAGIC ? "images: count x rows x cols" : "labels: count";
    if (idx.dims().length != ndims) {
      throw ModelFileException.of(
          source,
          String.format("the magic number is 0x%08x", 0x800 | idx.dims().length)
              + " ("
              + idx.dims().length
              + " dimensions "
              + Arrays.toString(idx.dims())
              + ")",
          String.format("0x%08x (%s)", magic, layout),
          "Pass the matching file: images come from *-images-idx3-ubyte[.gz], labels from"
              + " *-labels-idx1-ubyte[.gz]");
    }
    return idx;
  }

  private static IdxFile parse(InputStream in, long rawSize, String name, long maxBytes)
      throws IOException {
    byte[] magic = readHeader(in, 4, 0, name, "the 4-byte magic number");
    if (magic[0] != 0 || magic[1] != 0) {
      throw ModelFileException.of(
          name + ", byte 0",
          String.format("the magic number starts with %02x %02x", magic[0], magic[1]),
          "00 00 (an IDX file such as MNIST's train-images-idx3-ubyte)",
          "Check that this is an IDX file; CSV, PNG or NumPy files need another reader");
    }
    int type = magic[2] & 0xff;
    if (type != UBYTE) {
      throw ModelFileException.of(
          name + ", byte 2",
          String.format("the data type code is 0x%02x (%s)", type, typeName(type)),
          "0x08 (unsigned byte), the type MNIST uses",
          "Convert the file to unsigned bytes; other IDX types are not supported");
    }
    int ndims = magic[3] & 0xff;
    if (ndims == 0) {
      throw ModelFileException.of(
          name + ", byte 3",
          "the number of dimensions is 0",
          "at least 1 (1 for labels, 3 for images)",
          "The header is damaged; replace the file");
    }
    byte[] header = readHeader(in, 4 * ndims, 4, name, ndims + " dimensions of 4 bytes each");
    int[] dims = new int[ndims];
    long count = 1;
    for (int d = 0; d < ndims; d++) {
      dims[d] = readIntBigEndian(header, 4 * d);
      if (dims[d] < 0) {
        throw ModelFileException.of(
            name + ", byte " + (4 + 4 * d),
            "dimension " + d + " is " + Integer.toUnsignedString(dims[d]),
            "at most " + Integer.MAX_VALUE,
            "The header is damaged; replace the file");
      }
      // Both factors are below 2^31, so the product cannot overflow a long.
      count = count > maxBytes ? count : count * dims[d];
    }
    long headerBytes = 4 + 4L * ndims;
    if (count > maxBytes) {
      throw ModelFileException.of(
          name,
          "the header claims dimensions " + Arrays.toString(dims),
          "at most " + maxBytes + " values",
          LIMIT_HINT);
    }
    if (rawSize >= 0 && rawSize != headerBytes + count) {
      throw sizeMismatch(name, dims, count, rawSize - headerBytes);
    }
    byte[] data = in.readNBytes((int) count); // grows with the bytes present, not the claim
    if (data.length < count) {
      throw sizeMismatch(name, dims, count, data.length);
    }
    if (in.read() >= 0) {
      throw sizeMismatch(name, dims, count, -1);
    }
    return new IdxFile(dims, data);
  }

  private static ModelFileException sizeMismatch(String name, int[] dims, long count, long got) {
    String found =
        got < 0 ? "more bytes follow them" : "the file holds " + got + " bytes of values";
    return ModelFileException.of(
        name,
        "the header claims dimensions " + Arrays.toString(dims) + " but " + found,
        count + " bytes of values after the header, the product of the dimensions",
        "The file is truncated, padded or its header is damaged; download it again");
  }

  private static byte[] readHeader(InputStream in, int n, int offset, String name, String what)
      throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw ModelFileException.of(
          name + ", byte " + (offset + b.length),
          "the file ends inside the header",
          what + " at bytes " + offset + ".." + (offset + n - 1),
          "The file is truncated; download it again");
    }
    return b;
  }

  private static int readIntBigEndian(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  private static String typeName(int type) {
    switch (type) {
      case 0x09:
        return "signed byte";
      case 0x0B:
        return "short";
      case 0x0C:
        return "int";
      case 0x0D:
        return "float";
      case 0x0E:
        return "double";
      default:
        return "unknown";
    }
  }
}
