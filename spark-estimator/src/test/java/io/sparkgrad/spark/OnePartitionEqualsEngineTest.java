package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.optim.AdamW;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowBlocksBuilder;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * XGBoost's rule: training with one worker on Spark equals training with the engine alone on the
 * same rows, laid in the order the engine's content keys give them (whatever the input partitions).
 */
class OnePartitionEqualsEngineTest {

  @ParameterizedTest
  @CsvSource({
    "cross_entropy, sgd, 3, 1",
    "cross_entropy, adam, 3, 7",
    "bce, sgd, 2, 3",
    "mse, adamw, 1, 5"
  })
  void sameWeightsBitForBit(String loss, String optimizer, int classes, long seed) {
    List<Row> rows = SparkTestSession.rows(150, 5, classes, seed);
    int out = loss.equals("cross_entropy") ? classes : 1;
    int[] layers = {5, 8, 6, out};
    MLPModel model =
        new MLPEstimator()
            .setLayers(layers)
            .setActivation("tanh")
            .setLoss(loss)
            .setOptimizer(optimizer)
            .setLearningRate(0.05)
            .setMomentum(optimizer.equals("sgd") ? 0.5 : 0.0)
            .setBatchSize(16)
            .setMaxEpochs(3)
            .setSeed(seed)
            .setNumWorkers(1)
            .fit(SparkTestSession.ordered(rows, 4));

    RowBlocks data =
        RowBlocksBuilder.deal(
                rows.stream().map(SparkTestSession::packed).toList(), seed, 1, 5, 1, false)
            .get(0);
    MlpSpec spec = new MlpSpec(layers, "tanh", loss);
    LocalTrainer engine =
        new LocalTrainer(
            spec,
            new OptimizerSpec(
                optimizer,
                0.05,
                optimizer.equals("sgd") ? 0.5 : 0.0,
                false,
                // weightDecay is unset above: PyTorch's default for the optimizer.
                optimizer.equals("adamw") ? AdamW.DEFAULT_WEIGHT_DECAY : 0),
            0.05,
            data,
            16,
            true,
            Generator.derive(seed, 0),
            new Generator(seed));
    for (int e = 0; e < 3; e++) {
      engine.run(e, 0, Integer.MAX_VALUE);
    }
    Map<String, float[]> expected = engine.weights();
    assertEquals(expected.keySet(), model.weightArrays().keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, model.weightArrays().get(k), k));
    assertEquals(3, model.summary().totalEpochs());
    assertTrue(model.summary().trainLossHistory()[2] < model.summary().trainLossHistory()[0]);
  }
}
