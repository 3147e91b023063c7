package io.sparkgrad.engine.train;

/**
 * The workers of a data-parallel fit, as the epoch loop sees them: each holds its own rows, and
 * every call runs all of them from one state and returns their combined sum. {@link LocalWorkers}
 * runs them in this process; the Spark layer runs each as a task and combines the sums in a tree.
 */
public interface Workers {
  /** Number of workers. */
  int count();

  /** Training rows of each worker. */
  long[] trainRows();

  /** True when some worker holds validation rows. */
  boolean hasValidation();

  /** Every worker runs {@code round} from {@code from}; their states, summed. */
  StateSum round(TrainState from, RoundSpec round);

  /** Every worker's gradient at {@code at} on batch {@code step.fromBatch()}, summed. */
  StateSum gradients(TrainState at, RoundSpec step);

  /** Validation sums of {@code at} over every worker's validation rows. */
  EvalSum evaluate(TrainState at);
}
