package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Production sessions often set {@code spark.serializer} to Kryo, which then carries broadcasts,
 * task results, shuffles and cached partitions that spill to disk. A fit and a transform there must
 * work and give what they give with Java serialization.
 */
class KryoSerializerTest {
  private static final List<Row> ROWS = SparkTestSession.rows(600, 6, 3, 21);

  /** Weights and predictions of a fit with weights, validation rows and two rounds per epoch. */
  private static Map<String, float[]> fitAndScore(SparkSession spark, List<Double> predictions) {
    Dataset<Row> df =
        SparkTestSession.ordered(spark, ROWS, 3, SparkTestSession.SCHEMA)
            .withColumn("isVal", functions.col("weight").equalTo(3.0));
    MLPModel model =
        new MLPEstimator()
            .setLayers(new int[] {6, 10, 3})
            .setMaxEpochs(3)
            .setBatchSize(16)
            .setNumWorkers(3)
            .setSyncInterval(5)
            .setWeightCol("weight")
            .setValidationIndicatorCol("isVal")
            .setSeed(4)
            .fit(df);
    model
        .transform(df)
        .select("prediction")
        .collectAsList()
        .forEach(r -> predictions.add(r.getDouble(0)));
    Map<String, float[]> weights = new LinkedHashMap<>();
    model.weights().forEach((k, v) -> weights.put(k, v.data().clone()));
    assertEquals(3, model.summary().epochs().size(), "three epochs, each with validation figures");
    return weights;
  }

  @Test
  void fitAndTransformUnderKryoMatchJavaSerialization() {
    List<Double> javaPredictions = new java.util.ArrayList<>();
    Map<String, float[]> javaWeights = fitAndScore(SparkTestSession.get(), javaPredictions);
    SparkTestSession.stop();
    SparkSession kryo =
        SparkSession.builder()
            .master("local[2]")
            .appName("sparkgrad-kryo")
            .config("spark.ui.enabled", "false")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .getOrCreate();
    try {
      List<Double> kryoPredictions = new java.util.ArrayList<>();
      Map<String, float[]> kryoWeights = fitAndScore(kryo, kryoPredictions);
      assertEquals(javaWeights.keySet(), kryoWeights.keySet());
      javaWeights.forEach((k, v) -> assertArrayEquals(v, kryoWeights.get(k), k));
      assertEquals(javaPredictions, kryoPredictions);

    } finally {
      SparkTestSession.stop();
    }
  }
}
