package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same fit on a real standalone cluster (Master, two Workers, an executor JVM each) and in
 * local mode gives the same weights bit for bit: nothing in training depends on where a task runs,
 * which JVM it runs in or the order in which tasks finish.
 */
class ClusterParityTest {
  static final Path DIABETES = TestData.diabetes("diabetes.raw-kaggle.csv");

  static final String[] FEATURES = {
    "Pregnancies", "Glucose", "BloodPressure", "SkinThickness",
    "Insulin", "BMI", "DiabetesPedigreeFunction", "Age"
  };

  @AfterEach
  void stopSession() {
    SparkTestSession.stop();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void diabetesPipelineOnAClusterEqualsLocalModeBitForBit() {
    MLPModel onCluster;
    try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(2)) {
      SparkSession spark = SparkTestSession.onCluster(cluster, "cluster-parity");
      try {
        assertTrue(spark.sparkContext().master().startsWith("spark://"));
        onCluster = fitDiabetes(spark);
      } catch (Throwable failure) {
        System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
        throw failure;
      } finally {
        SparkTestSession.stop();
      }
    }
    SparkSession local = SparkTestSession.get();
    assertEquals("local[2]", local.sparkContext().master());
    MLPModel inLocalMode = fitDiabetes(local);

    assertSameBits(inLocalMode.weightArrays(), onCluster.weightArrays());
    assertEquals(
        Arrays.toString(inLocalMode.summary().trainLossHistory()),
        Arrays.toString(onCluster.summary().trainLossHistory()));
    double[] losses = onCluster.summary().trainLossHistory();
    assertTrue(losses[losses.length - 1] < losses[0], "no learning: " + Arrays.toString(losses));
  }

  /**
   * The Pima diabetes Pipeline (VectorAssembler, StandardScaler, 8-6-4-1 MLP with Adam) on the raw
   * CSV, its rows collected on the driver and parallelized into two partitions so that both runs
   * see exactly the same partitions.
   */
  static MLPModel fitDiabetes(SparkSession spark) {
    Dataset<Row> csv =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(DIABETES.toString())
            .withColumn("label", functions.col("Outcome").cast("double"));
    List<Row> rows = csv.collectAsList();
    assertEquals(768, rows.size());
    Dataset<Row> data = SparkTestSession.ordered(spark, rows, 2, csv.schema());
    MLPEstimator mlp =
        new MLPEstimator()
            .setFeaturesCol("scaled")
            .setLayers(new int[] {8, 6, 4, 1})
            .setActivation("sigmoid")
            .setLoss("bce")
            .setOptimizer("adam")
            .setLearningRate(0.01)
            .setBatchSize(32)
            .setMaxEpochs(20)
            .setSeed(3);
    PipelineModel model =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler().setInputCols(FEATURES).setOutputCol("features"),
                  new StandardScaler()
                      .setInputCol("features")
                      .setOutputCol("scaled")
                      .setWithMean(true)
                      .setWithStd(true),
                  mlp
                })
            .fit(data);
    return (MLPModel) model.stages()[2];
  }

  /** Same parameter names, and every float of every tensor with the same bits. */
  static void assertSameBits(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      float[] e = expected.get(name);
      float[] a = actual.get(name);
      assertEquals(e.length, a.length, name);
      for (int i = 0; i < e.length; i++) {
        if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
          throw new AssertionError(
              name + "[" + i + "] differs: expected " + e[i] + " but was " + a[i]);
        }
      }
    }
  }
}
