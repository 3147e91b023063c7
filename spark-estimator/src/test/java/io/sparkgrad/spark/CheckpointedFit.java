package io.sparkgrad.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** A fit with checkpoints, run in its own JVM by {@link CheckpointResumeTest} and killed there. */
public final class CheckpointedFit {
  private CheckpointedFit() {}

  static final int EPOCHS = 25;

  static MLPEstimator estimator(String checkpointDir) {
    return new MLPEstimator()
        .setLayers(new int[] {16, 64, 32, 4})
        .setOptimizer("adam")
        .setLearningRate(0.003)
        .setBatchSize(16)
        .setMaxEpochs(EPOCHS)
        .setSeed(5)
        // A schedule and clipping, which a resumed fit must continue at the right epoch.
        .setLrSchedule("cosine")
        .setWarmupEpochs(3)
        .setMaxGradNorm(1.0)
        .setCheckpointDir(checkpointDir);
  }

  static List<Row> data() {
    return SparkTestSession.rows(2000, 16, 4, 12);
  }

  public static void main(String[] args) {
    estimator(args[0]).fit(SparkTestSession.ordered(data(), 2));
  }
}
