package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's estimator checklist (as MultilayerPerceptronClassifierSuite), on a real session. */
class EstimatorChecklistTest {
  @TempDir Path tmp;

  private static MLPEstimator classifier() {
    return new MLPEstimator()
        .setLayers(new int[] {4, 16, 3})
        .setLoss("cross_entropy")
        .setOptimizer("adam")
        .setLearningRate(0.02)
        .setBatchSize(32)
        .setMaxEpochs(30)
        .setSeed(11);
  }

  @Test
  void badParamsThrowWithTheirRange() {
    MLPEstimator e = new MLPEstimator();
    var ex = assertThrows(IllegalArgumentException.class, () -> e.setBatchSize(0));
    assertTrue(ex.getMessage().contains("batchSize"), ex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> e.setLayers(new int[] {5}));
    assertThrows(IllegalArgumentException.class, () -> e.setLayers(new int[] {5, 0, 1}));
    assertThrows(IllegalArgumentException.class, () -> e.setLoss("hinge"));
    assertThrows(IllegalArgumentException.class, () -> e.setLearningRate(-0.1));
    var noLayers =
        assertThrows(
            InvalidInputException.class,
            () -> e.fit(SparkTestSession.ordered(SparkTestSession.rows(10, 4, 3, 1), 1)));
    assertTrue(noLayers.getMessage().contains("layers is not set"), noLayers.getMessage());
  }

  @Test
  void copyKeepsUidAndParams() {
    MLPEstimator e = classifier();
    MLPEstimator c = e.copy(ParamMap.empty());
    assertEquals(e.uid(), c.uid());
    assertArrayEquals(e.$(e.layers), c.$(c.layers));
    assertEquals(e.$(e.learningRate), c.$(c.learningRate));
  }

  @Test
  void classifierLearnsAndEvaluatorsRun() throws Exception {
    List<Row> rows = SparkTestSession.rows(600, 4, 3, 5);
    Dataset<Row> train = SparkTestSession.ordered(rows, 2);
    MLPModel model = classifier().fit(train);
    Dataset<Row> scored = model.transform(train);
    double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(acc > 0.9, "accuracy " + acc);

    // Single-row predict equals transform.
    List<Row> some =
        scored.select("features", "prediction", "probability").limit(20).collectAsList();
    for (Row r : some) {
      assertEquals(r.getDouble(1), model.predict((Vector) r.get(0)));
    }

    // Model save/load round trip: bitwise-equal outputs.
    String path = tmp.resolve("model").toString();
    model.write().overwrite().save(path);
    MLPModel loaded = MLPModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    List<Row> a = scored.select("probability").collectAsList();
    List<Row> b = loaded.transform(train).select("probability").collectAsList();
    assertEquals(a, b);

    // Estimator save/load keeps params.
    String epath = tmp.resolve("estimator").toString();
    classifier().write().overwrite().save(epath);
    MLPEstimator e2 = MLPEstimator.load(epath);
    assertArrayEquals(new int[] {4, 16, 3}, e2.$(e2.layers));
    assertEquals("adam", e2.$(e2.optimizer));
  }

  @Test
  void sameSeedSamePartitioningSameWeightsAcrossRuns() {
    Dataset<Row> train = SparkTestSession.ordered(SparkTestSession.rows(300, 4, 3, 9), 3);
    MLPEstimator e =
        classifier()
            .setMaxEpochs(3)
            .setNumWorkers(3)
            .setSyncInterval(2)
            .setOptimizer("sgd")
            .setMomentum(0.9);
    MLPModel m1 = e.fit(train);
    MLPModel m2 = e.fit(train);
    m1.weightArrays().forEach((k, v) -> assertArrayEquals(v, m2.weightArrays().get(k), k));
    MLPModel other = e.copy(ParamMap.empty()).setSeed(10).fit(train);
    assertNotEquals(m1.weightArrays().get("0.weight")[0], other.weightArrays().get("0.weight")[0]);
    assertEquals(3, m1.summary().numWorkers());
    // sgd over 3 workers trains at 3 x 0.02 after its warm-up.
    assertEquals(0.06, m1.summary().learningRate(), 1e-12);
  }

  @Test
  void packedDataCostsAboutItsFloat32Size() {
    Dataset<Row> train = SparkTestSession.ordered(SparkTestSession.rows(4000, 50, 3, 4), 2);
    MLPModel m = classifier().setLayers(new int[] {50, 8, 3}).setMaxEpochs(1).fit(train);
    long cached = m.summary().cachedBytes();
    long float32 = m.summary().float32Bytes();
    assertEquals(4L * 4000 * 51, float32);
    assertTrue(cached >= float32 && cached <= 1.1 * float32, cached + " vs " + float32);
  }

  @Test
  void binaryAndRegressionOutputsFitSparkEvaluators() {
    List<Row> rows = SparkTestSession.rows(400, 4, 2, 4);
    Dataset<Row> bin = SparkTestSession.ordered(rows, 2);
    MLPModel b =
        new MLPEstimator()
            .setLayers(new int[] {4, 8, 1})
            .setLoss("bce")
            .setOptimizer("adam")
            .setLearningRate(0.02)
            .setMaxEpochs(20)
            .setBatchSize(32)
            .fit(bin);
    double auc = new BinaryClassificationEvaluator().evaluate(b.transform(bin));
    assertTrue(auc > 0.95, "AUC " + auc);

    Dataset<Row> reg = SparkTestSession.ordered(SparkTestSession.rows(400, 4, 1, 4), 2);
    MLPModel r =
        new MLPEstimator()
            .setLayers(new int[] {4, 16, 1})
            .setLoss("mse")
            .setOptimizer("adam")
            .setLearningRate(0.01)
            .setMaxEpochs(30)
            .setBatchSize(16)
            .fit(reg);
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(r.transform(reg));
    assertTrue(rmse < 0.1, "RMSE " + rmse);
  }

  @Test
  void pipelineWithScalerFitsSavesAndLoads() throws Exception {
    Dataset<Row> train = SparkTestSession.ordered(SparkTestSession.rows(300, 4, 3, 8), 2);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new StandardScaler().setInputCol("features").setOutputCol("scaled"),
                  classifier().setFeaturesCol("scaled").setMaxEpochs(5)
                });
    PipelineModel fitted = pipeline.fit(train);
    String path = tmp.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertEquals(
        fitted.transform(train).select("probability").collectAsList(),
        loaded.transform(train).select("probability").collectAsList());
  }
}
