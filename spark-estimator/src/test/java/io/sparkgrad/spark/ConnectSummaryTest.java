package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.ml.util.HasTrainingSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Spark Connect server asks of a model besides fit and transform: its size for the model
 * cache, the summary in Spark's training-summary shape, and the summary saved and read back when
 * the cache moves the model to disk.
 */
class ConnectSummaryTest {
  private static final int[] LAYERS = {4, 6, 3};
  private static Dataset<Row> data;
  private static MLPEstimator estimator;
  private static MLPModel model;

  @BeforeAll
  static void fit() {
    data = SparkTestSession.ordered(SparkTestSession.rows(60, 4, 3, 5), 2);
    estimator = new MLPEstimator().setLayers(LAYERS).setMaxEpochs(3).setSeed(5);
    model = estimator.fit(data);
  }

  @Test
  void estimatedSizeCountsEveryWeightAndIsKnownBeforeTheFit() {
    long parameters = model.spec().parameterCount(); // 4*6 + 6 + 6*3 + 3 = 51
    assertEquals(51, parameters);
    assertTrue(model.estimatedSize() >= Float.BYTES * parameters, "" + model.estimatedSize());
    assertEquals(model.estimatedSize(), estimator.estimateModelSize(data));
    MLPModel wider = new MLPEstimator().setLayers(new int[] {4, 60, 3}).setMaxEpochs(1).fit(data);
    assertEquals(
        Float.BYTES * (wider.spec().parameterCount() - parameters),
        wider.estimatedSize() - model.estimatedSize());
  }

  @Test
  void summaryHasSparksTrainingSummaryShape() {
    HasTrainingSummary<TrainingSummary> spark = model;
    assertTrue(spark.hasSummary());
    assertTrue(spark.trainingSummary().isDefined());
    TrainingSummary s = spark.summary();
    assertArrayEquals(s.trainLossHistory(), s.objectiveHistory());
    assertEquals(3, s.totalIterations());
    assertTrue(s.toString().startsWith("{\"epochs\":[{\"epoch\":1,"), s.toString());
    assertTrue(s.uid().startsWith("mlpSummary_"), s.uid());
  }

  @Test
  void summarySavedToDiskReadsBackEqual(@TempDir Path dir) {
    String path = dir.resolve("offloaded").resolve("summary").toString();
    model.saveSummary(path);
    MLPModel reloaded = new MLPModel(model.uid(), model.spec(), model.weightArrays());
    assertFalse(reloaded.hasSummary());
    reloaded.loadSummary(path, data.toDF());
    assertEquals(model.summary(), reloaded.summary());
  }
}
