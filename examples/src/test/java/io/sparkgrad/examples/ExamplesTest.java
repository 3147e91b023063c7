package io.sparkgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import io.sparkgrad.spark.MLPModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example's main, run as a user would (shortened where slow), checked through its output. */
class ExamplesTest {
  @TempDir Path tmp;

  /** The examples stop their sessions; checks run in a fresh one. */
  private static SparkSession spark() {
    return SparkSession.builder()
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @Test
  void linearRegressionLearnsTwoX() throws Exception {
    Path out = tmp.resolve("lin");
    LinearRegression.main(new String[] {"--output", out.toString()});
    MLPModel model = MLPModel.read().session(spark()).load(out.toString());
    assertEquals(8.0, model.predict(Vectors.dense(4)), 1e-2);
    assertEquals(2.0, model.weightArrays().get("0.weight")[0], 1e-3);
  }

  @Test
  void logisticRegressionMatchesPyTorch() throws Exception {
    Path out = tmp.resolve("log");
    LogisticRegression.main(new String[] {"--output", out.toString()});
    MLPModel model = MLPModel.read().session(spark()).load(out.toString());
    double p4 = ((Vector) model.predictRow(Vectors.dense(4))[1]).apply(1);
    // PyTorch over seeds 0-4: 0.852-0.890.
    assertTrue(p4 > 0.85 && p4 < 0.89, "p(4) = " + p4);
  }

  @Test
  void diabetesAdamBeatsTheMajorityClass() throws Exception {
    Path csv = TestData.diabetes("diabetes.raw-kaggle.csv");
    Path out = tmp.resolve("diabetes");
    Diabetes.main(new String[] {"--data", csv.toString(), "--output", out.toString()});
    Dataset<Row> all =
        spark()
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(csv.toString())
            .withColumn("label", functions.col("Outcome").cast("double"))
            .coalesce(1);
    Dataset<Row> test = all.randomSplit(new double[] {0.8, 0.2}, 42)[1];
    var accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double sgd = accuracy.evaluate(PipelineModel.load(out + "-sgd").transform(test));
    double adam = accuracy.evaluate(PipelineModel.load(out + "-adam").transform(test));
    double majority = test.filter("label = 0").count() / (double) test.count();
    assertEquals(majority, sgd, 1e-12, "the tutorial's SGD 0.01 stays at the majority class");
    assertTrue(adam >= 0.74, "adam test accuracy " + adam);
  }

  @Test
  void mnistOneEpochSavesModelAndCurve() throws Exception {
    Path out = tmp.resolve("mnist");
    Mnist.main(
        new String[] {
          "--data", TestData.mnist().toString(),
          "--epochs", "1",
          "--output", out.toString()
        });
    assertTrue(Files.size(out.resolve("learning-curve.png")) > 1000);
    assertEquals(2, Files.readAllLines(out.resolve("history.csv")).size()); // header, epoch 1
    MLPModel model = MLPModel.read().session(spark()).load(out.toString());
    assertEquals(784, model.numFeatures());
    Dataset<Row> test = MnistReader.read(spark(), TestData.mnist(), "test", 2);
    double acc =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test));
    // PyTorch's recipe gives ~88-90% test accuracy after one epoch.
    assertTrue(acc > 0.86, "test accuracy after one epoch " + acc);
  }
}
