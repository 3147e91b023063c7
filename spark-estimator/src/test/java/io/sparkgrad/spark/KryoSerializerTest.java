package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.spark.training.PackedPartition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * Production sessions often set {@code spark.serializer} to Kryo, which then carries broadcasts,
 * task results and cached partitions that spill to disk. A fit and a transform there must work and
 * give what they give with Java serialization.
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

      // A cached partition that spills to disk is written with spark.serializer.
      SerializerInstance ser = SparkEnv.get().serializer().newInstance();
      assertEquals("KryoSerializerInstance", ser.getClass().getSimpleName());
      float[] x = {1f, 2f, 3f, 4f};
      PackedPartition p =
          new PackedPartition(
              5,
              2,
              1,
              x,
              new float[] {0f, 1f},
              null,
              x,
              new float[] {1f, 0f},
              new float[] {2f, 3f},
              7);
      PackedPartition back =
          ser.deserialize(
              ser.serialize(p, ClassTag$.MODULE$.apply(PackedPartition.class)),
              ClassTag$.MODULE$.apply(PackedPartition.class));
      assertEquals(5, back.partition());
      assertEquals(7, back.skippedRows());
      assertArrayEquals(p.train().x(), back.train().x());
      assertArrayEquals(p.train().y(), back.train().y());
      assertEquals(null, back.train().w());
      assertArrayEquals(p.validation().w(), back.validation().w());
    } finally {
      SparkTestSession.stop();
    }
  }
}
