package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.ScheduleSpec;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The learning-rate schedule and clipping params: ranges and combinations fail with the param's
 * name, and a fit with warm-up, cosine annealing and clipping over several workers is the same
 * whatever the partitioning, stepping each epoch at the schedule's rate.
 */
class ScheduleParamsTest {
  private static final List<Row> ROWS = SparkTestSession.rows(300, 5, 3, 23);

  private static MLPEstimator estimator() {
    return new MLPEstimator()
        .setLayers(new int[] {5, 8, 3})
        .setActivation("tanh")
        .setOptimizer("sgd")
        .setMomentum(0.9)
        .setLearningRate(0.2)
        .setBatchSize(16)
        .setMaxEpochs(3)
        .setNumWorkers(3)
        .setScaleLearningRate(false)
        .setSeed(9);
  }

  private static void assertRejected(String expected, UnaryOperator<MLPEstimator> params) {
    MLPEstimator e = params.apply(estimator());
    InvalidInputException ex =
        assertThrows(InvalidInputException.class, () -> e.transformSchema(SparkTestSession.SCHEMA));
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }

  @Test
  void rangesAndCombinationsAreChecked() {
    MLPEstimator e = estimator();
    assertThrows(IllegalArgumentException.class, () -> e.setLrSchedule("linear"));
    assertThrows(IllegalArgumentException.class, () -> e.setLrStepSize(0));
    assertThrows(IllegalArgumentException.class, () -> e.setLrGamma(0));
    assertThrows(IllegalArgumentException.class, () -> e.setLrGamma(1.5));
    assertThrows(IllegalArgumentException.class, () -> e.setMinLearningRate(-1e-3));
    assertThrows(IllegalArgumentException.class, () -> e.setWarmupEpochs(-1));
    assertThrows(IllegalArgumentException.class, () -> e.setMaxGradNorm(-1));
    assertRejected("needs lrStepSize", x -> x.setLrSchedule("step"));
    assertRejected("needs lrGamma", x -> x.setLrSchedule("exponential"));
    assertRejected("Param lrStepSize applies to lrSchedule step only", x -> x.setLrStepSize(3));
    assertRejected(
        "Param lrGamma applies to lrSchedule step or exponential only",
        x -> x.setLrSchedule("cosine").setLrGamma(0.5));
    assertRejected(
        "Param minLearningRate applies to lrSchedule cosine only",
        x -> x.setLrSchedule("step").setLrStepSize(2).setMinLearningRate(0.01));
    assertRejected(
        "Param minLearningRate (0.5) is above learningRate (0.2)",
        x -> x.setLrSchedule("cosine").setMinLearningRate(0.5));
    assertRejected(
        "Param warmupEpochs (3) leaves no epoch of maxEpochs (3)", x -> x.setWarmupEpochs(3));
    // Valid combinations resolve.
    estimator()
        .setLrSchedule("step")
        .setLrStepSize(2)
        .setLrGamma(0.5)
        .transformSchema(SparkTestSession.SCHEMA);
    estimator()
        .setLrSchedule("exponential")
        .setLrGamma(0.9)
        .setWarmupEpochs(1)
        .transformSchema(SparkTestSession.SCHEMA);
  }

  @Test
  void cosineWithWarmupAndClippingIsTheSameWhateverThePartitioning() {
    MLPEstimator e =
        estimator()
            .setLrSchedule("cosine")
            .setMinLearningRate(0.01)
            .setWarmupEpochs(1)
            .setMaxGradNorm(0.5);
    MLPModel reference = e.fit(SparkTestSession.ordered(ROWS, 1));
    double[] rates = new ScheduleSpec("cosine", 0, 0, 0.01, 1).rates(0.2, 3);
    List<EpochStats> epochs = reference.summary().epochs();
    assertEquals(3, epochs.size());
    for (EpochStats s : epochs) {
      assertEquals(rates[s.epoch() - 1], s.learningRate(), 0, "epoch " + s.epoch());
    }
    Map<String, float[]> weights = reference.weightArrays();
    MLPModel repartitioned = e.fit(SparkTestSession.frame(ROWS, 5));
    weights.forEach((k, v) -> assertArrayEquals(v, repartitioned.weightArrays().get(k), k));
  }
}
