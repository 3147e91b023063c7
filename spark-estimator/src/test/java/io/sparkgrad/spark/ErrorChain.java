package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The messages of an exception and all its causes, one string: Spark wraps a task's error in its
 * own, and the tests look for ours inside.
 */
final class ErrorChain {
  private ErrorChain() {}

  static String of(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append(" | ");
    }
    return all.toString();
  }

  /** The chain of what {@code r} throws; fails the test when it throws nothing. */
  static String thrownBy(Runnable r) {
    return of(assertThrows(Throwable.class, r::run));
  }
}
