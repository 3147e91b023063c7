package io.sparkgrad.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features stored as array<double> or array<float> train and score as the same Vectors do. */
class ArrayFeaturesTest {
  @TempDir static Path tmp;
  static Dataset<Row> vectors;
  static MLPModel fromVectors;

  static MLPEstimator estimator() {
    return new MLPEstimator().setLayers(new int[] {5, 8, 3}).setMaxEpochs(3).setSeed(4);
  }

  /** The same rows with the features as an array of {@code dtype} ("float64" or "float32"). */
  static Dataset<Row> asArrays(Dataset<Row> df, String dtype) {
    return df.withColumn(
        "features", org.apache.spark.ml.functions.vector_to_array(col("features"), dtype));
  }

  @BeforeAll
  static void fit() {
    vectors = SparkTestSession.ordered(SparkTestSession.rows(300, 5, 3, 3), 2);
    fromVectors = estimator().fit(vectors);
  }

  @Test
  void fitOnArraysEqualsFitOnVectors() {
    for (String dtype : List.of("float64", "float32")) {
      MLPModel fromArrays = estimator().fit(asArrays(vectors, dtype));
      fromVectors
          .weightArrays()
          .forEach((k, v) -> assertArrayEquals(v, fromArrays.weightArrays().get(k), dtype + k));
    }
  }

  @Test
  void transformOfArraysEqualsTransformOfVectorsOnBothPaths() throws Exception {
    List<Row> expected =
        fromVectors.transform(vectors).select("prediction", "probability").collectAsList();
    for (String dtype : List.of("float64", "float32")) {
      Dataset<Row> arrays = asArrays(vectors, dtype);
      List<Row> batch =
          fromVectors.transform(arrays).select("prediction", "probability").collectAsList();
      if (dtype.equals("float64")) {
        assertEquals(expected, batch); // float64 arrays hold the vectors' values exactly
      } else {
        assertEquals(predictions(expected), predictions(batch)); // rounded to float32 first
      }
      SparkSession spark = SparkTestSession.get();
      String dir = tmp.resolve("arrays-" + dtype).toString();
      arrays.withColumn("id", monotonically_increasing_id()).write().parquet(dir);
      Dataset<Row> stream =
          spark.readStream().schema(spark.read().parquet(dir).schema()).parquet(dir);
      List<Row> streamed =
          SparkTestSession.runStream(
              fromVectors.transform(stream), "arrays_" + dtype, "prediction, probability");
      List<Row> batchOrdered =
          fromVectors
              .transform(spark.read().parquet(dir))
              .orderBy("id")
              .select("prediction", "probability")
              .collectAsList();
      assertEquals(batchOrdered, streamed);
    }
  }

  private static List<Double> predictions(List<Row> rows) {
    return rows.stream().map(r -> r.getDouble(0)).toList();
  }

  @Test
  void raggedArraysNullElementsAndOtherElementTypesFailClearly() {
    Dataset<Row> arrays = asArrays(vectors, "float64");
    Dataset<Row> ragged =
        arrays.withColumn(
            "features",
            when(col("label").equalTo(1), slice(col("features"), 1, 4)).otherwise(col("features")));
    assertTrue(
        ErrorChain.thrownBy(() -> estimator().fit(ragged)).contains("an array of length 4"),
        ErrorChain.thrownBy(() -> estimator().fit(ragged)));
    Dataset<Row> withNull =
        arrays.withColumn(
            "features",
            when(
                    col("label").equalTo(2),
                    array(
                        lit(1.0),
                        lit(null).cast(DataTypes.DoubleType),
                        lit(1.0),
                        lit(1.0),
                        lit(1.0)))
                .otherwise(col("features")));
    String fitNull = ErrorChain.thrownBy(() -> estimator().fit(withNull));
    assertTrue(fitNull.contains("null at array index 1"), fitNull);
    String scoreNull = ErrorChain.thrownBy(() -> fromVectors.transform(withNull).collectAsList());
    assertTrue(scoreNull.contains("null at array index 1"), scoreNull);
    Dataset<Row> strings = arrays.withColumn("features", col("features").cast("array<string>"));
    String wrongType = ErrorChain.thrownBy(() -> estimator().fit(strings));
    assertTrue(
        wrongType.contains(
            "has type array<string>; expected a Vector, array<float> or array<double>"),
        wrongType);
  }
}
