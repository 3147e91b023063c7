package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import java.io.Serializable;

/** The resolved params of one fit, shipped to the tasks. */
public record TrainingSettings(
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

  /** The learning rate each partition trains at, given how many partitions hold data. */
  public double effectiveLearningRate(int partitions) {
    boolean scale =
        scaleLearningRate && !averageGradients && partitions > 1 && optimizer.name().equals("sgd");
    return optimizer.learningRate() * (scale ? partitions : 1);
  }

  /** Seed of a partition's row order: a pure function of (seed, partition). */
  public long shuffleSeed(int partition) {
    return io.sparkgrad.engine.Generator.derive(seed, partition);
  }
}
