package io.sparkgrad.engine.io;

import static io.sparkgrad.engine.io.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  // Fingerprints: the sum of the float32 bit patterns (as int32) of np.loadtxt(..., dtype=
  // np.float32) output, so equal sums mean the same bits as NumPy, not just close values.
  @Test
  void readsTheRawKaggleFileWithItsHeaderAsNumpyDoes() {
    Path file = TestData.diabetes("diabetes.raw-kaggle.csv"); // CRLF, no final newline

    CsvData d = CsvReader.read(file, CsvReader.Options.defaults().withSkipHeaderLines(1));

    assertEquals(768, d.rows());
    assertEquals(8, d.cols());
    assertEquals(8, d.labelColumn());
    assertEquals(
        List.of(
            "Pregnancies",
            "Glucose",
            "BloodPressure",
            "SkinThickness",
            "Insulin",
            "BMI",
            "DiabetesPedigreeFunction",
            "Age",
            "Outcome"),
        d.columnNames());
    assertArrayEquals(
        new float[] {6, 148, 72, 35, 0, 33.6f, 0.627f, 50}, Arrays.copyOf(d.features(), 8));
    assertArrayEquals(
        new float[] {1, 93, 70, 31, 0, 30.4f, 0.315f, 23},
        Arrays.copyOfRange(d.features(), 767 * 8, 768 * 8));
    assertEquals(268, sum(d.labels()));
    assertEquals(5921150364962L, bitSum(d.features()));
    assertEquals(285514661888L, bitSum(d.labels()));
  }

  @Test
  void theHeaderWithoutSkipHeaderLinesIsAClearError() {
    Path file = TestData.diabetes("diabetes.raw-kaggle.csv");

    ModelFileException e = assertThrows(ModelFileException.class, () -> CsvReader.read(file));

    assertEquals(
        file
            + ", line 1, column 1: 'Pregnancies' is not a number; expected a decimal number such"
            + " as 6, 0.627 or -1.5e-3. If the file has a header, set skipHeaderLines=1"
            + " (Options.withSkipHeaderLines(1))",
        e.getMessage());
  }

  @Test
  void readsTheTutorialFilePlainAndGzippedToTheSameBits() {
    CsvData plain = CsvReader.read(TestData.diabetes("diabetes.scaled-tutorial.csv"));
    CsvData gz = CsvReader.read(TestData.diabetes("diabetes.scaled-tutorial.csv.gz"));

    for (CsvData d : List.of(plain, gz)) {
      assertEquals(759, d.rows());
      assertEquals(8, d.cols());
      assertEquals(List.of(), d.columnNames());
      assertEquals(496, sum(d.labels())); // 1 = no diabetes in this file
      assertEquals(-2147179150480L, bitSum(d.features()));
      assertEquals(528415195136L, bitSum(d.labels()));
      assertEquals(-0.294118f, d.features()[0]);
    }
    assertArrayEquals(plain.features(), gz.features());
    assertArrayEquals(plain.labels(), gz.labels());
  }

  @Test
  void readsFromAStream() throws IOException {
    Path file = TestData.diabetes("diabetes.scaled-tutorial.csv.gz");
    CsvData fromFile = CsvReader.read(file);

    CsvData fromStream;
    try (InputStream in = Files.newInputStream(file)) {
      fromStream = CsvReader.read(in, "tutorial stream", CsvReader.Options.defaults());
    }

    assertArrayEquals(fromFile.features(), fromStream.features());
    assertArrayEquals(fromFile.labels(), fromStream.labels());
    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () ->
                CsvReader.read(
                    new ByteArrayInputStream("1,x\n".getBytes(StandardCharsets.US_ASCII)),
                    "stream",
                    CsvReader.Options.defaults()));
    assertTrue(e.getMessage().startsWith("stream, line 1, column 2: 'x'"), e.getMessage());
  }

  @Test
  void lineEndingsAndAMissingFinalNewlineDoNotMatter() {
    String[] variants = {
      "1,2,0\n3,4,1\n",
      "1,2,0\r\n3,4,1\r\n",
      "1,2,0\r3,4,1\r",
      "1,2,0\n3,4,1",
      "1,2,0\r\n3,4,1",
      "\uFEFF1,2,0\n3,4,1\n\n\n",
      "\n1,2,0\n   \n3,4,1\n",
      " 1 , 2 ,0\t\n3,4 ,1"
    };
    for (String text : variants) {
      CsvData d = CsvReader.read(write(dir, "v.csv", text));
      assertArrayEquals(new float[] {1, 2, 3, 4}, d.features(), text);
      assertArrayEquals(new float[] {0, 1}, d.labels(), text);
      assertEquals(2, d.rows());
    }
  }

  @Test
  void labelColumnCanBeAnyColumnOrNone() {
    Path file = write(dir, "l.csv", "a;b;c\n1;2;3\n4;5;6\n");
    CsvReader.Options semicolons =
        CsvReader.Options.defaults().withDelimiter(';').withSkipHeaderLines(1);

    CsvData first = CsvReader.read(file, semicolons.withLabelColumn(0));
    CsvData middle = CsvReader.read(file, semicolons.withLabelColumn(-2));
    CsvData none = CsvReader.read(file, semicolons.withoutLabel());

    assertArrayEquals(new float[] {2, 3, 5, 6}, first.features());
    assertArrayEquals(new float[] {1, 4}, first.labels());
    assertArrayEquals(new float[] {1, 3, 4, 6}, middle.features());
    assertArrayEquals(new float[] {2, 5}, middle.labels());
    assertEquals(1, middle.labelColumn());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, none.features());
    assertEquals(0, none.labels().length);
    assertEquals(3, none.cols());
    assertEquals(-1, none.labelColumn());
    assertEquals(List.of("a", "b", "c"), none.columnNames());
  }

  @Test
  void roundsThroughDoubleAsNumpyDoes() {
    // Just below the midpoint between 1+2^-23 and 1+2^-22: a direct float parse rounds down,
    // NumPy parses a double (the midpoint itself) and rounds it to even, i.e. up.
    Path file = write(dir, "r.csv", "1.00000017881393432617187499,0\n");

    float value = CsvReader.read(file).features()[0];

    assertEquals(1f + 0x1p-22f, value);
    assertEquals(1f + 0x1p-23f, Float.parseFloat("1.00000017881393432617187499"));
  }

  @Test
  void acceptsTheNumberFormsNumpyAccepts() {
    Path file = write(dir, "n.csv", "+.5,5.,1e5,-2E-3,007,0\n");

    assertArrayEquals(new float[] {0.5f, 5f, 1e5f, -2e-3f, 7f}, CsvReader.read(file).features());
  }

  private static long bitSum(float[] values) {
    long s = 0;
    for (float v : values) {
      s += Float.floatToRawIntBits(v);
    }
    return s;
  }

  private static int sum(float[] values) {
    int s = 0;
    for (float v : values) {
      s += (int) v;
    }
    return s;
  }
}
