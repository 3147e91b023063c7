package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transform scores batch plans on Spark's binary rows and streaming plans on {@code Row}s: both
 * give predict's values, pass every input column through unchanged, and read sparse vectors.
 */
class TransformPathsTest {
  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("name", DataTypes.StringType, true)
          .add("tags", DataTypes.createArrayType(DataTypes.IntegerType), true)
          .add("features", SQLDataTypes.VectorType(), true);

  @TempDir static Path tmp;
  static MLPModel model;
  static List<Row> rows;

  @BeforeAll
  static void fit() {
    model =
        new MLPEstimator()
            .setLayers(new int[] {5, 8, 3})
            .setMaxEpochs(3)
            .fit(SparkTestSession.ordered(SparkTestSession.rows(200, 5, 3, 3), 2));
    rows = new ArrayList<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    // More rows than one scoring block (1024), so blocks end mid-partition too.
    for (int i = 0; i < 2500; i++) {
      double[] x = new double[5];
      for (int j = 0; j < 5; j++) {
        x[j] = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 2 - 1;
      }
      Vector v = i % 2 == 0 ? Vectors.dense(x) : Vectors.dense(x).toSparse();
      rows.add(RowFactory.create((long) i, i % 7 == 0 ? null : "row" + i, seq(i, -i), v));
    }
  }

  private static scala.collection.immutable.Seq<Integer> seq(Integer... values) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(values)).toList();
  }

  static Dataset<Row> frame(SparkSession spark) {
    return SparkTestSession.ordered(spark, rows, 3, SCHEMA);
  }

  @Test
  void batchTransformKeepsInputColumnsAndMatchesPredict() {
    List<Row> out = model.transform(frame(SparkTestSession.get())).orderBy("id").collectAsList();
    assertEquals(rows.size(), out.size());
    for (int i = 0; i < rows.size(); i++) {
      Row in = rows.get(i);
      Row got = out.get(i);
      for (int c = 0; c < 3; c++) {
        assertEquals(str(in.get(c)), str(got.get(c)), "row " + i);
      }
      Vector features = (Vector) in.get(3);
      assertEquals(features, got.get(3));
      // One row runs the small-GEMM loop, a block runs BLAS: equal up to float rounding.
      assertArrayEquals(
          model.predictRaw(features).toArray(),
          ((Vector) got.getAs("rawPrediction")).toArray(),
          1e-6);
      assertEquals(model.predict(features), got.getDouble(got.fieldIndex("prediction")));
      assertEquals(3, ((Vector) got.getAs("probability")).size());
    }
  }

  private static String str(Object v) {
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.collection.JavaConverters.seqAsJavaList(s).toString();
    }
    return v == null ? null : v.toString();
  }

  @Test
  void streamingTransformEqualsBatchTransform() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String dir = tmp.resolve("stream-in").toString();
    frame(spark).write().parquet(dir);
    Dataset<Row> stream = spark.readStream().schema(SCHEMA).parquet(dir);
    assertTrue(stream.isStreaming());
    List<Row> streamed = SparkTestSession.runStream(model.transform(stream), "scored_stream", "*");
    List<Row> batch = model.transform(spark.read().parquet(dir)).orderBy("id").collectAsList();
    assertEquals(rows.size(), streamed.size());
    assertEquals(batch, streamed);
  }

  @Test
  void badFeaturesNameColumnPartitionAndRow() {
    SparkSession spark = SparkTestSession.get();
    List<Row> bad = new ArrayList<>(rows.subList(0, 10));
    bad.set(4, RowFactory.create(4L, "x", seq(), null));
    bad.set(7, RowFactory.create(7L, "y", seq(), Vectors.dense(1, 2)));
    Exception nul =
        assertThrows(
            Exception.class,
            () ->
                model
                    .transform(SparkTestSession.ordered(spark, bad.subList(0, 5), 1, SCHEMA))
                    .collectAsList());
    assertTrue(
        ErrorChain.of(nul)
            .contains("Column 'features' at partition 0, row 4 has null; expected a Vector"),
        ErrorChain.of(nul));
    Exception len =
        assertThrows(
            Exception.class,
            () ->
                model
                    .transform(SparkTestSession.ordered(spark, bad.subList(5, 10), 1, SCHEMA))
                    .collectAsList());
    assertTrue(
        ErrorChain.of(len).contains("row 2 has a vector of length 2")
            && ErrorChain.of(len).contains("score vectors of length 5 (layers[0])"),
        ErrorChain.of(len));
  }
}
