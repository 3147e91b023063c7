package io.sparkgrad.engine.io;

/**
 * A model, checkpoint or data file that cannot be trusted: truncated, corrupt, or not matching what
 * it claims or what the model needs. Every reader turns such a file into this one type, with a
 * message that says what is wrong, where, what was expected and how to fix it.
 */
public class ModelFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
