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
 * @param dropout rate of the {@link io.sparkgrad.engine.nn.Dropout} after each hidden activation
 *     during training, in [0, 1); 0 = none
 * @param classWeights the classifiers' class weights, or null for none
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
    double maxGradNorm,
    double dropout,
    ClassWeights classWeights)
    implements Serializable {

  public TrainSettings {
    if (schedule == null) {
      throw new IllegalArgumentException("schedule is null; use ScheduleSpec.constant()");
    }
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException("Invalid max_norm: " + maxGradNorm + " (expected >= 0)");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout is " + dropout + "; it must be in [0, 1)");
    }
    String problem =
        classWeights == null ? null : classWeights.problem(spec.loss(), spec.outputSize());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Settings with a constant learning rate, no clipping, no dropout, no class weights. */
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
        0,
        0,
        null);
  }

  /** These settings with {@code weights} as the class weights. */
  public TrainSettings withClassWeights(ClassWeights weights) {
    return new TrainSettings(
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
        schedule,
        maxGradNorm,
        dropout,
        weights);
  }

  /** Seed of worker {@code w}'s row order: a pure function of (seed, worker). */
  public long shuffleSeed(int worker) {
    return Generator.derive(seed, worker);
  }

  /**
   * Seed of worker {@code w}'s dropout masks: a stream of its shuffle seed that no epoch's order
   * uses (those are streams 0, 1, ...), so masks and row orders stay independent.
   */
  public long dropoutSeed(int worker) {
    return Generator.derive(shuffleSeed(worker), -2);
  }
}
