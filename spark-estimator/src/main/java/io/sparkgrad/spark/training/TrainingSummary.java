package io.sparkgrad.spark.training;

import java.io.Serializable;
import java.util.List;

/** What a fit did, epoch by epoch. */
public record TrainingSummary(
    List<EpochStats> epochs,
    String validationMetricName,
    int partitions,
    double learningRate,
    boolean stoppedEarly,
    int bestEpoch,
    long skippedRows)
    implements Serializable {

  public double[] trainLossHistory() {
    return epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
  }

  public double[] validationLossHistory() {
    return epochs.stream().mapToDouble(EpochStats::validationLoss).toArray();
  }

  public double[] secondsPerEpoch() {
    return epochs.stream().mapToDouble(EpochStats::seconds).toArray();
  }

  /** The same summary with the count of rows skipped as invalid (handleInvalid=skip). */
  public TrainingSummary withSkippedRows(long n) {
    return new TrainingSummary(
        epochs, validationMetricName, partitions, learningRate, stoppedEarly, bestEpoch, n);
  }

  public int totalEpochs() {
    return epochs.size();
  }
}
