package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * Additive figures of training: steps (the largest any worker took), rows, the loss summed over
 * batches as loss x batch weight, and that weight (rows, or sample-weight sums).
 */
public final class TrainFigures implements Serializable {
  private static final long serialVersionUID = 1L;

  private int steps;
  private long rows;
  private double lossSum;
  private double lossWeight;

  public TrainFigures() {}

  public TrainFigures(int steps, long rows, double lossSum, double lossWeight) {
    this.steps = steps;
    this.rows = rows;
    this.lossSum = lossSum;
    this.lossWeight = lossWeight;
  }

  public void add(TrainFigures o) {
    steps = Math.max(steps, o.steps);
    rows += o.rows;
    lossSum += o.lossSum;
    lossWeight += o.lossWeight;
  }

  public int steps() {
    return steps;
  }

  public long rows() {
    return rows;
  }

  public double lossSum() {
    return lossSum;
  }

  public double lossWeight() {
    return lossWeight;
  }

  /** The mean training loss (NaN before any row). */
  public double meanLoss() {
    return lossSum / lossWeight;
  }
}
