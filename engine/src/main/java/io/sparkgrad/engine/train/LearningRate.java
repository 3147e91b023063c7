package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * The learning rate the workers step at: {@code base x multiplier}, reached by a linear warm-up
 * from {@code base} over the first {@code warmupSteps} steps (Goyal et al., 2017). Steps count per
 * worker, the same on every worker, so all of them step at the same rate.
 */
public record LearningRate(double base, double multiplier, long warmupSteps)
    implements Serializable {

  /** A constant rate. */
  public static LearningRate constant(double lr) {
    return new LearningRate(lr, 1, 0);
  }

  public double at(long step) {
    if (step >= warmupSteps) {
      return base * multiplier;
    }
    return base * (1 + (multiplier - 1) * step / (double) warmupSteps);
  }

  /** The same scaling and warm-up from another base rate (the epoch's, under a schedule). */
  public LearningRate withBase(double epochBase) {
    return new LearningRate(epochBase, multiplier, warmupSteps);
  }

  /** The rate after warm-up. */
  public double peak() {
    return base * multiplier;
  }
}
