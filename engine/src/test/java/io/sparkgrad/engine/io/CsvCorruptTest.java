package io.sparkgrad.engine.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad CSV files, each with the words its message must contain. */
class CsvCorruptTest {
  @TempDir Path dir;

  static Arguments corrupt(String label, String text, String... parts) {
    return Arguments.of(label, text, parts);
  }

  static Stream<Arguments> corruptFiles() {
    return Stream.of(
        corrupt("empty file", "", "no data rows (0 lines in all)"),
        corrupt("only blank lines", "\n \r\n", "no data rows (2 lines in all)"),
        corrupt(
            "ragged row",
            "1,2,3\n4,5,6\n7,8\n",
            "line 3",
            "the row has 2 values",
            "3 values, as in line 1"),
        corrupt("long row", "1,2\r\n3,4,5\r\n", "line 2", "has 3 values", "2 values"),
        corrupt(
            "NaN",
            "1,2\n3,NaN\n",
            "line 2, column 2",
            "'NaN' is not a finite number",
            "does not impute"),
        corrupt("infinity", "1,-Infinity\n", "line 1, column 2", "'-Infinity' is not a finite"),
        corrupt("inf", "inf,1\n", "'inf' is not a finite"),
        corrupt("beyond float32", "1e39,1\n", "column 1", "'1e39' is outside the float32 range"),
        corrupt("empty value", "1,,2\n", "line 1, column 2", "the value is empty"),
        corrupt("trailing delimiter", "1,2,\n", "line 1, column 3", "the value is empty"),
        corrupt(
            "word in data",
            "1,2\n3,abc\n",
            "line 2, column 2",
            "'abc' is not a number",
            "Correct or remove"),
        corrupt("java float suffix", "1.5f,2\n", "'1.5f' is not a number"),
        corrupt("hex float", "0x1p3,2\n", "'0x1p3' is not a number"),
        corrupt(
            "wrong delimiter", "1;2;3\n4;5;6\n", "'1;2;3' is not a number", "withDelimiter(';')"),
        corrupt("long text is cut", "x".repeat(100) + ",1\n", "'" + "x".repeat(60) + "...'"),
        corrupt("binary", "\u0000\u0001,1\n", "'\\u0000\\u0001' is not a number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptFiles")
  void rejectsWithFileLineColumnAndText(String label, String text, String[] parts) {
    Path file = TestFiles.write(dir, "bad.csv", text);

    ModelFileException e = assertThrows(ModelFileException.class, () -> CsvReader.read(file));

    String message = e.getMessage();
    assertTrue(message.startsWith(file.toString()), message);
    assertTrue(message.contains("; expected "), message);
    for (String part : parts) {
      assertTrue(message.contains(part), "missing '" + part + "' in: " + message);
    }
  }

  @Test
  void moreHeaderLinesThanTheFileHas() {
    Path file = TestFiles.write(dir, "h.csv", "a,b\n");

    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> CsvReader.read(file, CsvReader.Options.defaults().withSkipHeaderLines(3)));

    assertTrue(e.getMessage().contains("the file has 1 lines"), e.getMessage());
    assertTrue(e.getMessage().contains("lower skipHeaderLines (now 3)"), e.getMessage());
  }

  @Test
  void headerWithAnotherWidthThanTheData() {
    Path file = TestFiles.write(dir, "h.csv", "title\na,b\n1,2,3\n");

    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> CsvReader.read(file, CsvReader.Options.defaults().withSkipHeaderLines(2)));

    assertTrue(e.getMessage().contains("line 2: the header has 2 names"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 3 names"), e.getMessage());
  }

  @Test
  void labelColumnOutsideTheRows() {
    Path file = TestFiles.write(dir, "l.csv", "1,2\n");

    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> CsvReader.read(file, CsvReader.Options.defaults().withLabelColumn(5)));

    assertTrue(e.getMessage().contains("label column is 5"), e.getMessage());
    assertTrue(e.getMessage().contains("[-2, 1]"), e.getMessage());
  }

  @Test
  void aSingleColumnCannotBeBothLabelAndFeatures() {
    Path file = TestFiles.write(dir, "one.csv", "1\n2\n");

    ModelFileException e = assertThrows(ModelFileException.class, () -> CsvReader.read(file));

    assertTrue(e.getMessage().contains("withoutLabel()"), e.getMessage());
    assertTrue(
        CsvReader.read(file, CsvReader.Options.defaults().withoutLabel()).features().length == 2);
  }

  @Test
  void sizeLimitsHoldForPlainAndGzipFiles() {
    byte[] text = "1,2\n".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CsvReader.Options small = CsvReader.Options.defaults().withMaxBytes(100);

    for (Path file :
        new Path[] {
          TestFiles.write(dir, "big.csv", text),
          TestFiles.write(dir, "big.gz", TestFiles.gzip(text))
        }) {
      ModelFileException e =
          assertThrows(ModelFileException.class, () -> CsvReader.read(file, small));
      assertTrue(e.getMessage().contains("at most 100 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("withMaxBytes"), e.getMessage());
    }
  }

  @Test
  void aTruncatedGzipIsRejected() {
    byte[] gz = TestFiles.gzip("1,2\n3,4\n".repeat(100).getBytes());
    Path file = TestFiles.write(dir, "cut.csv.gz", java.util.Arrays.copyOf(gz, gz.length - 9));

    ModelFileException e = assertThrows(ModelFileException.class, () -> CsvReader.read(file));

    assertTrue(e.getMessage().contains("gzip stream is corrupt or truncated"), e.getMessage());
  }

  @Test
  void badOptionsAreRefusedUpFront() {
    CsvReader.Options d = CsvReader.Options.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withDelimiter('.'));
    assertThrows(IllegalArgumentException.class, () -> d.withDelimiter('\n'));
    assertThrows(IllegalArgumentException.class, () -> d.withSkipHeaderLines(-1));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxBytes(0));
  }
}
