package io.sparkgrad.spark;

import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.train.TrainingDivergedException;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a failed Spark job back into our exception. A bad row or a diverging fit fails its task;
 * Spark reports a SparkException whose cause is our exception when it survives the trip from the
 * executor, and otherwise only names it in the message. Either way the user gets our exception and
 * its message.
 */
public final class SparkErrors {
  private SparkErrors() {}

  private static final Map<Class<?>, Function<String, RuntimeException>> OURS =
      Map.of(
          InvalidInputException.class, InvalidInputException::new,
          TrainingDivergedException.class, TrainingDivergedException::new,
          ModelFileException.class, ModelFileException::new);

  /** Our exception inside {@code e}, or {@code e} itself rethrown unchanged. */
  public static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Throwable found = t;
      if (OURS.keySet().stream().anyMatch(c -> c.isInstance(found))) {
        return (RuntimeException) t;
      }
    }
    String text = String.valueOf(e.getMessage());
    for (var kind : OURS.entrySet()) {
      String marker = kind.getKey().getName() + ": ";
      int at = text.indexOf(marker);
      if (at >= 0) {
        int end = text.indexOf('\n', at);
        String message = text.substring(at + marker.length(), end < 0 ? text.length() : end);
        RuntimeException r = kind.getValue().apply(message.strip());
        r.addSuppressed(e);
        return r;
      }
    }
    return SparkErrors.<RuntimeException>rethrow(e);
  }

  /** Rethrows {@code e} unchanged, checked or not, so callers keep Spark's exception type. */
  @SuppressWarnings("unchecked")
  private static <T extends Exception> T rethrow(Exception e) throws T {
    throw (T) e;
  }
}
