package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.MlpSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Label types, sample weights, warm starts and early stopping. */
class TrainingOptionsTest {
  @TempDir Path tmp;

  static MLPEstimator base() {
    return new MLPEstimator()
        .setLayers(new int[] {4, 8, 3})
        .setOptimizer("adam")
        .setLearningRate(0.01)
        .setBatchSize(16)
        .setMaxEpochs(3)
        .setSeed(4);
  }

  static Dataset<Row> data() {
    return SparkTestSession.ordered(SparkTestSession.rows(200, 4, 3, 6), 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"int", "bigint", "float", "short", "decimal(5,1)"})
  void numericLabelTypesTrainAsDoubles(String type) {
    MLPModel asDouble = base().fit(data());
    MLPModel cast = base().fit(data().withColumn("label", functions.col("label").cast(type)));
    asDouble.weightArrays().forEach((k, v) -> assertArrayEquals(v, cast.weightArrays().get(k), k));
  }

  @Test
  void equalSampleWeightsMatchNoWeights() {
    MLPModel plain = base().fit(data());
    MLPModel weighted = base().setWeightCol("w").fit(data().withColumn("w", functions.lit(2.5)));
    plain
        .weightArrays()
        .forEach(
            (k, v) -> {
              float[] w = weighted.weightArrays().get(k);
              for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], w[i], 1e-5, k + "[" + i + "]");
              }
            });
    MLPModel skewed = base().setWeightCol("weight").fit(data());
    assertTrue(
        skewed.weightArrays().get("0.weight")[0] != plain.weightArrays().get("0.weight")[0],
        "unequal weights must change the fit");
  }

  @Test
  void warmStartFromASafetensorsStateDict() throws Exception {
    // As if trained elsewhere (e.g. PyTorch): a state dict with Sequential names.
    var state =
        new MlpSpec(new int[] {4, 8, 3}, "relu", "cross_entropy")
            .build(new Generator(99))
            .stateDict();
    Path file = tmp.resolve("init.safetensors");
    SafeTensors.save(state, file);
    MLPModel untouched = base().setMaxEpochs(0).setInitialWeightsPath(file.toString()).fit(data());
    state.forEach((k, v) -> assertArrayEquals(v.data(), untouched.weightArrays().get(k), k));
    MLPModel tuned = base().setInitialWeightsPath(file.toString()).fit(data());
    assertTrue(tuned.weightArrays().get("0.weight")[0] != state.get("0.weight").data()[0]);
  }

  @Test
  void earlyStoppingStopsAndKeepsTheBestEpoch() {
    Dataset<Row> withHoldout = data().withColumn("v", functions.expr("rand(3) < 0.3"));
    MLPModel m =
        base()
            .setLearningRate(0.2)
            .setMaxEpochs(60)
            .setValidationIndicatorCol("v")
            .setEarlyStoppingPatience(3)
            .fit(withHoldout);
    List<io.sparkgrad.engine.train.EpochStats> epochs = m.summary().epochs();
    assertTrue(m.summary().stoppedEarly(), "stopped after " + epochs.size() + " epochs");
    int best = m.summary().bestEpoch();
    double bestLoss = epochs.get(best - 1).validationLoss();
    assertEquals(best + 3, epochs.size());
    for (var e : epochs) {
      assertTrue(e.validationLoss() >= bestLoss, "epoch " + e.epoch() + " beat the best");
      assertTrue(e.validationMetric() >= 0 && e.validationMetric() <= 1);
    }
  }
}
