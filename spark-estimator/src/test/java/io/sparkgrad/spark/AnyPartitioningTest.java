package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.train.DataParallelFit;
import io.sparkgrad.engine.train.FitResult;
import io.sparkgrad.engine.train.LocalWorkers;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowBlocksBuilder;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a fit returns depends on the data, the seed and numWorkers, never on how the DataFrame is
 * partitioned or ordered; and it is exactly what the engine computes with the same workers in one
 * process: Spark only moves the data and the states.
 */
class AnyPartitioningTest {
  private static final List<Row> ROWS = SparkTestSession.rows(600, 5, 3, 17);

  private static MLPEstimator estimator(String syncMode) {
    return new MLPEstimator()
        .setLayers(new int[] {5, 8, 3})
        .setActivation("tanh")
        .setOptimizer("sgd")
        .setLearningRate(0.05)
        .setMomentum(0.5)
        .setBatchSize(16)
        .setMaxEpochs(syncMode.equals("average_gradients") ? 1 : 3)
        .setSyncMode(syncMode)
        .setNumWorkers(3)
        .setSeed(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"average_weights", "average_gradients"})
  void sameWeightsWhateverThePartitioningAndAsTheEngineComputes(String syncMode) {
    Map<String, float[]> reference =
        estimator(syncMode).fit(SparkTestSession.ordered(ROWS, 1)).weightArrays();
    List<Dataset<Row>> layouts =
        List.of(
            SparkTestSession.ordered(ROWS, 7),
            SparkTestSession.ordered(ROWS, 200),
            SparkTestSession.ordered(ROWS, 4).orderBy(functions.col("label")),
            SparkTestSession.frame(ROWS, 5));
    for (Dataset<Row> df : layouts) {
      MLPModel m = estimator(syncMode).fit(df);
      assertEquals(3, m.summary().numWorkers());
      reference.forEach((k, v) -> assertArrayEquals(v, m.weightArrays().get(k), k));
    }
    FitResult engine = engineOnly(syncMode.equals("average_gradients"));
    reference.forEach((k, v) -> assertArrayEquals(engine.state().weights().get(k), v, k));
  }

  /** The same fit with the engine's in-process workers, rows dealt as packing deals them. */
  private static FitResult engineOnly(boolean gradients) {
    TrainSettings s =
        new TrainSettings(
            new MlpSpec(new int[] {5, 8, 3}, "tanh", "cross_entropy"),
            new OptimizerSpec("sgd", 0.05, 0.5, false, 0),
            16,
            gradients ? 1 : 3,
            true,
            5,
            0,
            gradients,
            true,
            0,
            0);
    List<RowBlocks> train =
        RowBlocksBuilder.deal(
            ROWS.stream().map(SparkTestSession::packed).toList(), 5, 3, 5, 1, false);
    List<RowBlocks> validation = RowBlocksBuilder.deal(List.of(), 5, 3, 5, 1, false);
    LinkedHashMap<String, float[]> init = new LinkedHashMap<>();
    s.spec().build(new Generator(5)).namedParameters().forEach((k, v) -> init.put(k, v.data()));
    return new DataParallelFit(
            s, new LocalWorkers(s, train, validation), null, new DataParallelFit.Progress() {})
        .run(new TrainState(init, new LinkedHashMap<>()));
  }
}
