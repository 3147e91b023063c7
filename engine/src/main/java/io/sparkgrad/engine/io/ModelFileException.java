package io.sparkgrad.engine.io;

/**
 * A model or data file whose content cannot be used: corrupt, truncated, hostile or in a form this
 * reader does not support. Every reader in this package turns bad content into this one type, so
 * callers need a single catch; no OutOfMemoryError, parser or index exception escapes instead.
 *
 * <p>Messages have four parts: where (file, tensor, byte offset, line and column), what is wrong,
 * what was expected, and how to fix it. Operating-system failures such as a missing file or a
 * denied permission are not content problems and surface as {@link java.io.UncheckedIOException}.
 */
public final class ModelFileException extends RuntimeException {

  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Builds the four-part message: {@code "<where>: <what>; expected <expected>. <fix>"}.
   *
   * @param where the file and the position inside it, e.g. {@code "model.safetensors, tensor
   *     '0.weight'"}
   * @param what what is wrong, with the offending value interpolated
   * @param expected what a valid file has there
   * @param fix how to repair the file or the call
   */
  public static ModelFileException of(String where, String what, String expected, String fix) {
    return new ModelFileException(where + ": " + what + "; expected " + expected + ". " + fix);
  }

  /**
   * Text from a file as it may appear in a message: in single quotes, cut to 60 characters and with
   * control codes escaped, so a hostile name cannot flood or forge a log line.
   */
  static String quote(String text) {
    String cut = text.length() <= 60 ? text : text.substring(0, 60) + "...";
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return out.append('\'').toString();
  }
}
