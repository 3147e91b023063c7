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
    int bestEpoch)
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

  public int totalEpochs() {
    return epochs.size();
  }
}
