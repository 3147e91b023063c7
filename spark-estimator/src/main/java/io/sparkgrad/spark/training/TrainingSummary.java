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
    long skippedRows,
    long cachedBytes,
    long float32Bytes)
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

  /**
   * The same summary with what packing found: rows skipped as invalid (handleInvalid=skip), the
   * bytes Spark reports for the cached packed partitions, and the float32 size of their values.
   */
  public TrainingSummary withInput(long skipped, long cached, long float32) {
    return new TrainingSummary(
        epochs,
        validationMetricName,
        partitions,
        learningRate,
        stoppedEarly,
        bestEpoch,
        skipped,
        cached,
        float32);
  }

  public int totalEpochs() {
    return epochs.size();
  }
}
