package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Generator;
import java.io.Serializable;

/**
 * The resolved settings of one fit, the same on the driver and every worker.
 *
 * @param syncInterval steps between combining the workers' states; 0 chooses by the worker count
 *     (see {@link Scaling})
 * @param averageGradients combine gradients every step (exact synchronous SGD) instead of states
 * @param scaleLearningRate apply the worker-count scaling rule of {@link Scaling}
 */
public record TrainSettings(
    MlpSpec spec,
    OptimizerSpec optimizer,
    int batchSize,
    int maxEpochs,
    boolean shuffle,
    long seed,
    int syncInterval,
    boolean averageGradients,
    boolean scaleLearningRate,
    int earlyStoppingPatience,
    double tol)
    implements Serializable {

  /** Seed of worker {@code w}'s row order: a pure function of (seed, worker). */
  public long shuffleSeed(int worker) {
    return Generator.derive(seed, worker);
  }
}
