package io.sparkgrad.spark;

/**
 * Bad training or scoring input: a wrong column type, a bad value at a given row, an empty
 * DataFrame. The message says what, where, what was expected and how to fix it.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
