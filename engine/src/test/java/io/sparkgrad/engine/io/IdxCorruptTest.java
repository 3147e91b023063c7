package io.sparkgrad.engine.io;

import static io.sparkgrad.engine.io.TestFiles.concat;
import static io.sparkgrad.engine.io.TestFiles.gzip;
import static io.sparkgrad.engine.io.TestFiles.idxHeader;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Damaged IDX files, raw and gzip-compressed, each with the words its message must contain. */
class IdxCorruptTest {
  @TempDir Path dir;

  static final byte[] VALID = concat(idxHeader(0x08, 2, 2, 2), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  static Arguments corrupt(String label, byte[] content, String... parts) {
    return Arguments.of(label, content, parts);
  }

  static Stream<Arguments> corruptFiles() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0};
    return Stream.of(
        corrupt("empty file", new byte[0], "byte 0", "ends inside the header"),
        corrupt("not IDX", png, "byte 0", "starts with 89 50", "00 00"),
        corrupt("float type", concat(idxHeader(0x0D, 1), new byte[4]), "0x0d (float)", "0x08"),
        corrupt("unknown type", concat(idxHeader(0x42, 1), new byte[4]), "0x42 (unknown)"),
        corrupt("no dimensions", idxHeader(0x08), "number of dimensions is 0"),
        corrupt(
            "header cut in the dimensions",
            Arrays.copyOf(VALID, 9),
            "byte 9",
            "ends inside the header",
            "3 dimensions"),
        corrupt("dimension of 2^32-1", idxHeader(0x08, -1), "dimension 0 is 4294967295"),
        corrupt(
            "product past the limit",
            idxHeader(0x08, 65536, 65536, 65536),
            "[65536, 65536, 65536]",
            "at most 1073741824 values"),
        corrupt(
            "values truncated",
            Arrays.copyOf(VALID, VALID.length - 3),
            "holds 5 bytes of values",
            "8 bytes of values"),
        corrupt("values padded", concat(VALID, new byte[] {0}), "8 bytes of values"),
        corrupt(
            "header claims more items",
            concat(idxHeader(0x08, 60000, 28, 28), new byte[784]),
            "[60000, 28, 28]",
            "holds 784 bytes",
            "47040000 bytes"));
  }

  @ParameterizedTest(name = "{0}, raw")
  @MethodSource("corruptFiles")
  void rejectsRaw(String label, byte[] content, String[] parts) {
    assertRejected(TestFiles.write(dir, "bad-idx", content), parts);
  }

  @ParameterizedTest(name = "{0}, gzip")
  @MethodSource("corruptFiles")
  void rejectsGzip(String label, byte[] content, String[] parts) {
    assertRejected(TestFiles.write(dir, "bad-idx.gz", gzip(content)), parts);
  }

  @Test
  void rejectsDamagedAndTruncatedGzipStreams() {
    byte[] gz = gzip(concat(idxHeader(0x08, 1000), new byte[1000]));
    for (int length = 0; length < gz.length; length++) {
      byte[] cut = Arrays.copyOf(gz, length);
      assertThrows(
          ModelFileException.class,
          () -> IdxReader.read(TestFiles.write(dir, "cut.gz", cut)),
          "gzip cut to " + length + " bytes");
    }
    byte[] flipped = gz.clone();
    flipped[gz.length - 6] ^= 0x55; // inside the CRC-32 trailer
    ModelFileException e =
        assertThrows(
            ModelFileException.class, () -> IdxReader.read(TestFiles.write(dir, "f.gz", flipped)));
    assertTrue(e.getMessage().contains("gzip stream is corrupt or truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("gzip -t"), e.getMessage());
  }

  private static void assertRejected(Path file, String[] parts) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> IdxReader.read(file));
    String message = e.getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    assertTrue(message.contains("; expected "), message);
    for (String part : parts) {
      assertTrue(message.contains(part), "missing '" + part + "' in: " + message);
    }
  }
}
