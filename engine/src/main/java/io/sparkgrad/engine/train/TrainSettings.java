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
 * @param schedule the learning rate of each epoch, before the worker-count scaling
 * @param maxGradNorm clip each step's gradients to this total 2-norm; 0 for no clipping
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
    double tol,
    ScheduleSpec schedule,
    double maxGradNorm)
    implements Serializable {

  public TrainSettings {
    if (schedule == null) {
      throw new IllegalArgumentException("schedule is null; use ScheduleSpec.constant()");
    }
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException("Invalid max_norm: " + maxGradNorm + " (expected >= 0)");
    }
  }

  /** Settings with a constant learning rate and no gradient clipping. */
  public TrainSettings(
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
      double tol) {
    this(
        spec,
        optimizer,
        batchSize,
        maxEpochs,
        shuffle,
        seed,
        syncInterval,
        averageGradients,
        scaleLearningRate,
        earlyStoppingPatience,
        tol,
        ScheduleSpec.constant(),
        0);
  }

  /** Seed of worker {@code w}'s row order: a pure function of (seed, worker). */
  public long shuffleSeed(int worker) {
    return Generator.derive(seed, worker);
  }
}
