package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CrossValidator with a ParamGridBuilder grid over our params: fit, save and load. */
class CrossValidatorTest {
  @TempDir Path tmp;

  @Test
  void gridSearchPicksAndPersists() throws Exception {
    Dataset<Row> data = SparkTestSession.ordered(SparkTestSession.rows(300, 4, 3, 21), 2);
    MLPEstimator mlp =
        new MLPEstimator()
            .setLayers(new int[] {4, 12, 3})
            .setOptimizer("adam")
            .setBatchSize(32)
            .setMaxEpochs(10)
            .setSeed(3);
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(mlp.learningRate, new double[] {1e-4, 0.03})
            .addGrid(
                mlp.activation,
                scala.collection.JavaConverters.asScalaBuffer(java.util.List.of("relu", "tanh")))
            .build();
    CrossValidator cv =
        new CrossValidator()
            .setEstimator(mlp)
            .setEstimatorParamMaps(grid)
            .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
            .setNumFolds(2)
            .setSeed(5);
    CrossValidatorModel model = cv.fit(data);
    MLPModel best = (MLPModel) model.bestModel();
    double[] metrics = model.avgMetrics();
    assertEquals(4, metrics.length);
    // The tiny learning rate cannot learn in 10 epochs; the grid must prefer 0.03.
    MLPEstimator bestParent = (MLPEstimator) best.parent();
    assertEquals(0.03, bestParent.getLearningRate(), 1e-12);
    String path = tmp.resolve("cv").toString();
    model.write().overwrite().save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    assertEquals(
        model.transform(data).select("prediction").collectAsList(),
        loaded.transform(data).select("prediction").collectAsList());
    assertTrue(metrics[0] < 0.9 || metrics[1] < 0.9);
  }
}
