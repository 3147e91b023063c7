package io.sparkgrad.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a numeric CSV file the way the PyTorch tutorials do with {@code np.loadtxt(file,
 * delimiter=',', dtype=np.float32)}: every field a decimal number, rows of equal length, lines
 * ending in LF, CRLF or CR, the last line with or without a terminator, blank lines skipped, gzip
 * detected from the content. Unlike NumPy it refuses NaN and infinities, since a model cannot learn
 * from them and they usually mean a missing value that needs a decision.
 *
 * <p>Values are parsed to double and then rounded to float, as NumPy does, so that both give the
 * same bits even for text that lies near the midpoint of two floats.
 */
public final class CsvReader {
  /** Default bound on the (decompressed) size of a file: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private static final int MAX_LINE_CHARS = 1 << 24;
  private static final String LIMIT_HINT =
      "If the file is genuine, raise the limit with Options.withMaxBytes; otherwise replace it";

  private CsvReader() {}

  /**
   * How to read a file; immutable, change it with the {@code with...} methods.
   *
   * @param delimiter the character between values (default ',')
   * @param skipHeaderLines lines to skip at the top, as NumPy's {@code skiprows} (default 0)
   * @param labelColumn the label column, 0-based; negative counts from the end, so -1 (the default)
   *     is the last column; empty for no label column
   * @param maxBytes the largest (decompressed) file accepted
   */
  public record Options(
      char delimiter, int skipHeaderLines, OptionalInt labelColumn, long maxBytes) {

    public Options {
      if (delimiter == '\n' || delimiter == '\r' || "0123456789.+-eE".indexOf(delimiter) >= 0) {
        throw new IllegalArgumentException(
            "Invalid delimiter '" + delimiter + "': it cannot be a line break or part of a number");
      }
      if (skipHeaderLines < 0) {
        throw new IllegalArgumentException("skipHeaderLines must be >= 0; got " + skipHeaderLines);
      }
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be > 0; got " + maxBytes);
      }
    }

    /** Comma-delimited, no header, label in the last column, files up to 1 GiB. */
    public static Options defaults() {
      return new Options(',', 0, OptionalInt.of(-1), DEFAULT_MAX_BYTES);
    }

    public Options withDelimiter(char value) {
      return new Options(value, skipHeaderLines, labelColumn, maxBytes);
    }

    public Options withSkipHeaderLines(int value) {
      return new Options(delimiter, value, labelColumn, maxBytes);
    }

    /** The label column, 0-based; negative counts from the end (-1 is the last column). */
    public Options withLabelColumn(int value) {
      return new Options(delimiter, skipHeaderLines, OptionalInt.of(value), maxBytes);
    }

    /** Every column is a feature; {@link CsvData#labels()} will be empty. */
    public Options withoutLabel() {
      return new Options(delimiter, skipHeaderLines, OptionalInt.empty(), maxBytes);
    }

    public Options withMaxBytes(long value) {
      return new Options(delimiter, skipHeaderLines, labelColumn, value);
    }
  }

  /** Reads {@code file} with {@link Options#defaults()}. */
  public static CsvData read(Path file) {
    return read(file, Options.defaults());
  }

  public static CsvData read(Path file, Options options) {
    InputFiles.Opened opened = InputFiles.open(file, options.maxBytes(), LIMIT_HINT);
    return parse(opened.in(), file.toString(), options);
  }

  /**
   * Reads CSV content, raw or gzip, from a stream such as one opened on a distributed file system;
   * the stream is read to its end and not closed.
   *
   * @param sourceName names the stream in error messages
   */
  public static CsvData read(InputStream in, String sourceName, Options options) {
    try {
      InputFiles.Opened opened =
          InputFiles.wrap(InputFiles.shielded(in), -1, sourceName, options.maxBytes(), LIMIT_HINT);
      return parse(opened.in(), sourceName, options);
    } catch (IOException e) {
      throw InputFiles.readFailure(sourceName, e);
    }
  }

  private static CsvData parse(InputStream content, String source, Options options) {
    try (Reader reader = new InputStreamReader(content, StandardCharsets.UTF_8)) {
      return parse(new LineReader(reader, MAX_LINE_CHARS, source), source, options);
    } catch (IOException e) {
      throw InputFiles.readFailure(source, e);
    }
  }

  private static CsvData parse(LineReader lines, String source, Options options)
      throws IOException {
    String header = null;
    for (int i = 0; i < options.skipHeaderLines(); i++) {
      header = lines.next();
      if (header == null) {
        throw ModelFileException.of(
            source,
            "the file has " + i + " lines, all of them skipped as header",
            "at least " + (options.skipHeaderLines() + 1) + " lines (header, then data)",
            "Check the file, or lower skipHeaderLines (now " + options.skipHeaderLines() + ")");
      }
      header = stripBom(header, lines.lineNumber());
    }
    FloatList values = new FloatList(source);
    int width = -1;
    long firstDataLine = -1;
    int rows = 0;
    for (String line = lines.next(); line != null; line = lines.next()) {
      line = stripBom(line, lines.lineNumber());
      if (line.isBlank()) {
        continue;
      }
      int count = parseLine(line, lines.lineNumber(), values, source, options);
      if (width < 0) {
        width = count;
        firstDataLine = lines.lineNumber();
      } else if (count != width) {
        throw ModelFileException.of(
            source + ", line " + lines.lineNumber(),
            "the row has " + count + " values",
            width + " values, as in line " + firstDataLine + " (the first data row)",
            "Make all rows the same length; check for a missing or extra '"
                + options.delimiter()
                + "'");
      }
      rows++;
    }
    if (rows == 0) {
      throw ModelFileException.of(
          source,
          "there are no data rows (" + lines.lineNumber() + " lines in all)",
          "at least one row of numbers after " + options.skipHeaderLines() + " header lines",
          "Check that the file is not empty and that skipHeaderLines is right");
    }
    List<String> names = header == null ? List.of() : splitNames(header, options.delimiter());
    if (header != null && names.size() != width) {
      throw ModelFileException.of(
          source + ", line " + options.skipHeaderLines(),
          "the header has " + names.size() + " names",
          width + " names, one per column of the data rows",
          "Fix the header, or skip one more line if this line is not the header");
    }
    int label = resolveLabelColumn(options.labelColumn(), width, source);
    return split(values, rows, width, label, names);
  }

  /** Parses one line's fields into {@code values}; returns how many there were. */
  private static int parseLine(
      String line, long lineNumber, FloatList values, String source, Options options) {
    int count = 0;
    int start = 0;
    while (true) {
      int stop = line.indexOf(options.delimiter(), start);
      String field = line.substring(start, stop < 0 ? line.length() : stop);
      values.add(parseValue(field, lineNumber, count + 1, source, options));
      count++;
      if (stop < 0) {
        return count;
      }
      start = stop + 1;
    }
  }

  private static float parseValue(
      String field, long lineNumber, int column, String source, Options options) {
    String text = field.strip();
    if (isDecimal(text)) {
      // Double first, then float: NumPy's loadtxt rounds the same way.
      float value = (float) Double.parseDouble(text);
      if (!Float.isInfinite(value)) {
        return value;
      }
    }
    String where = source + ", line " + lineNumber + ", column " + column;
    String expected = "a decimal number such as 6, 0.627 or -1.5e-3";
    if (text.isEmpty()) {
      throw ModelFileException.of(
          where, "the value is empty", expected, "Fill in the value or remove the stray delimiter");
    }
    String shown = ModelFileException.quote(text);
    String lower = text.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
    if (lower.equals("nan") || lower.startsWith("inf")) {
      throw ModelFileException.of(
          where,
          shown + " is not a finite number",
          expected,
          "Replace missing or infinite values before loading; this reader does not impute");
    }
    if (isDecimal(text)) {
      throw ModelFileException.of(
          where,
          shown + " is outside the float32 range (about +-3.4e38)",
          expected,
          "Rescale the column");
    }
    String fix = "Correct or remove this value";
    boolean firstRow = lineNumber == options.skipHeaderLines() + 1;
    String otherDelimiter = otherDelimiterIn(text, options.delimiter());
    if (otherDelimiter != null) {
      fix =
          "The delimiter is '"
              + options.delimiter()
              + "' but the value contains '"
              + otherDelimiter
              + "'; set it with Options.withDelimiter('"
              + otherDelimiter
              + "')";
    } else if (firstRow && text.chars().anyMatch(Character::isLetter)) {
      fix =
          "If the file has a header, set skipHeaderLines="
              + lineNumber
              + " (Options.withSkipHeaderLines("
              + lineNumber
              + "))";
    }
    throw ModelFileException.of(where, shown + " is not a number", expected, fix);
  }

  /** Plain decimal text: optional sign, digits with an optional point, optional exponent. */
  static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    for (; i < n && isAsciiDigit(s.charAt(i)); i++) {
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      for (i++; i < n && isAsciiDigit(s.charAt(i)); i++) {
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      for (; i < n && isAsciiDigit(s.charAt(i)); i++) {
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String otherDelimiterIn(String text, char delimiter) {
    for (char c : new char[] {',', ';', '\t', '|'}) {
      if (c != delimiter && text.indexOf(c) >= 0) {
        return c == '\t' ? "\\t" : String.valueOf(c);
      }
    }
    return null;
  }

  private static int resolveLabelColumn(OptionalInt labelColumn, int width, String source) {
    if (labelColumn.isEmpty()) {
      return -1;
    }
    int given = labelColumn.getAsInt();
    int index = given < 0 ? width + given : given;
    if (index < 0 || index >= width) {
      throw ModelFileException.of(
          source,
          "the label column is " + given + " but the rows have " + width + " values",
          "a column in [" + -width + ", " + (width - 1) + "] (negative counts from the end)",
          "Set Options.withLabelColumn to a column that exists, or withoutLabel()");
    }
    if (width == 1) {
      throw ModelFileException.of(
          source,
          "the rows have a single value, which is the label, so no features remain",
          "at least 2 columns when a label column is set",
          "Use Options.withoutLabel() to read the single column as a feature");
    }
    return index;
  }

  /** Splits off the label column, reading the list's buffer in place to save a copy. */
  private static CsvData split(FloatList list, int rows, int width, int label, List<String> names) {
    if (label < 0) {
      return new CsvData(list.toArray(), new float[0], rows, width, names, -1);
    }
    float[] values = list.data;
    int cols = width - 1;
    float[] features = new float[rows * cols];
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      int from = r * width;
      System.arraycopy(values, from, features, r * cols, label);
      System.arraycopy(values, from + label + 1, features, r * cols + label, cols - label);
      labels[r] = values[from + label];
    }
    return new CsvData(features, labels, rows, cols, names, label);
  }

  private static List<String> splitNames(String header, char delimiter) {
    List<String> names = new ArrayList<>();
    int start = 0;
    while (true) {
      int stop = header.indexOf(delimiter, start);
      names.add(header.substring(start, stop < 0 ? header.length() : stop).strip());
      if (stop < 0) {
        return names;
      }
      start = stop + 1;
    }
  }

  private static String stripBom(String line, long lineNumber) {
    return lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  /** A growable float array bounded by the largest Java array. */
  private static final class FloatList {
    private static final int MAX = Integer.MAX_VALUE - 8;
    private final String source;
    private float[] data = new float[1024];
    private int size;

    FloatList(String source) {
      this.source = source;
    }

    void add(float v) {
      if (size == data.length) {
        if (size == MAX) {
          throw ModelFileException.of(
              source,
              "the file holds more than " + MAX + " values",
              "at most " + MAX,
              "Split the file");
        }
        data = Arrays.copyOf(data, (int) Math.min(MAX, 2L * size));
      }
      data[size++] = v;
    }

    float[] toArray() {
      return size == data.length ? data : Arrays.copyOf(data, size);
    }
  }
}
