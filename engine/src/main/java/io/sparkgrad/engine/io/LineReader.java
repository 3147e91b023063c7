package io.sparkgrad.engine.io;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits text into lines ending in LF, CRLF or a lone CR, the last one with or without a
 * terminator, as {@link java.io.BufferedReader#readLine()} does, but refuses lines longer than a
 * bound so that a file without line breaks cannot take all memory in one string.
 */
final class LineReader {
  private final Reader in;
  private final int maxChars;
  private final String source;
  private final StringBuilder line = new StringBuilder();
  private final char[] buf = new char[1 << 14];
  private int pos;
  private int end;
  private boolean skipLf;
  private long lineNumber;

  LineReader(Reader in, int maxChars, String source) {
    this.in = in;
    this.maxChars = maxChars;
    this.source = source;
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /** The next line without its terminator, or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == end) {
        end = in.read(buf, 0, buf.length);
        pos = 0;
        if (end <= 0) {
          end = 0;
          if (!any) {
            return null;
          }
          lineNumber++;
          return line.toString();
        }
      }
      char c = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (c == '\n') {
          continue;
        }
      }
      any = true;
      if (c == '\n' || c == '\r') {
        skipLf = c == '\r';
        lineNumber++;
        return line.toString();
      }
      if (line.length() == maxChars) {
        throw ModelFileException.of(
            source + ", line " + (lineNumber + 1),
            "the line is longer than " + maxChars + " characters",
            "text lines of numbers separated by a delimiter",
            "Check that this is a text CSV file with line breaks, not a binary file");
      }
      line.append(c);
    }
  }
}
