package io.sparkgrad.spark;

import io.sparkgrad.engine.train.EpochStats;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.util.Identifiable;

/**
 * What a fit did, epoch by epoch, and how it trained.
 *
 * <p>It has Spark's training-summary shape ({@code objectiveHistory}, {@code totalIterations}) and
 * is {@link Identifiable}, because those are what a Spark Connect server lets a client call on a
 * model's summary (the allowlist in {@code org.apache.spark.sql.connect.ml.MLUtils}): the train
 * losses through {@code objectiveHistory}, everything else through {@link #toString}, which is this
 * record as JSON.
 *
 * @param epochs every epoch of the fit, including those a resumed fit read from its checkpoint
 * @param epochsRun the epochs this fit trained itself (fewer than {@code epochs} after a resume)
 * @param validationMetricName "accuracy" for classification, "rmse" for mse
 * @param numWorkers the workers the data was dealt to (chosen by numWorkers=0 when auto)
 * @param syncInterval steps each worker took between combining states (1 with average_gradients)
 * @param learningRate the base rate after worker scaling and its warm-up, before any lrSchedule
 * @param bestEpoch the epoch whose weights were kept by early stopping (0 when off)
 * @param skippedRows rows dropped as invalid with handleInvalid=skip
 * @param cachedBytes what Spark's block manager reported for the cached packed rows
 * @param float32Bytes the float32 size of the packed values
 * @param warning why the model may be poor (the loss never fell below its first epoch's), or null
 * @param uid this summary's id (Identifiable)
 */
public record TrainingSummary(
    List<EpochStats> epochs,
    int epochsRun,
    String validationMetricName,
    int numWorkers,
    int syncInterval,
    double learningRate,
    boolean stoppedEarly,
    int bestEpoch,
    long skippedRows,
    long cachedBytes,
    long float32Bytes,
    String warning,
    String uid)
    implements Serializable, org.apache.spark.ml.classification.TrainingSummary, Identifiable {

  public double[] trainLossHistory() {
    return epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
  }

  /** The rate each epoch ended at: lrSchedule's rate for the epoch, after worker scaling. */
  public double[] learningRateHistory() {
    return epochs.stream().mapToDouble(EpochStats::learningRate).toArray();
  }

  public double[] secondsPerEpoch() {
    return epochs.stream().mapToDouble(EpochStats::seconds).toArray();
  }

  public int totalEpochs() {
    return epochs.size();
  }

  /** Spark's name for the train loss of each epoch (no initial value before the first epoch). */
  @Override
  public double[] objectiveHistory() {
    return trainLossHistory();
  }

  /**
   * The epochs the model was trained for, one per {@link #objectiveHistory} value (Spark's default
   * counts one fewer, its history starting with the initial objective). After a resume this
   * includes the checkpoint's epochs; {@link #epochsRun} counts this fit's.
   */
  @Override
  public int totalIterations() {
    return totalEpochs();
  }

  /** This summary as JSON (SummaryJson), readable over Spark Connect and by the Python wrapper. */
  @Override
  public String toString() {
    return SummaryJson.write(this);
  }

  public boolean hasWarning() {
    return warning != null;
  }
}
