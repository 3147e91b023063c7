package io.sparkgrad.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One real local Spark session for the module's tests, and small seeded data sets. */
final class SparkTestSession {
  private SparkTestSession() {}

  static SparkSession get() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("sparkgrad-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  static final StructType SCHEMA =
      new StructType()
          .add("features", SQLDataTypes.VectorType())
          .add("label", DataTypes.DoubleType)
          .add("weight", DataTypes.DoubleType);

  /**
   * {@code n} rows of {@code d} features in [-1, 1]; the label is the class of the largest of the
   * first {@code classes} features (so a small MLP can learn it), or for classes = 1 their sum.
   */
  static List<Row> rows(int n, int d, int classes, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = r.nextDouble() * 2 - 1;
      }
      double label;
      if (classes == 1) {
        label = x[0] + 0.5 * x[1];
      } else {
        int best = 0;
        for (int j = 1; j < classes; j++) {
          best = x[j] > x[best] ? j : best;
        }
        label = best;
      }
      rows.add(RowFactory.create(Vectors.dense(x), label, 1.0 + (i % 3)));
    }
    return rows;
  }

  static Dataset<Row> frame(List<Row> rows, int partitions) {
    return get()
        .createDataFrame(rows, SCHEMA)
        .repartition(partitions)
        .sortWithinPartitions("label");
  }

  /** Rows in list order in exactly {@code partitions} contiguous slices. */
  static Dataset<Row> ordered(List<Row> rows, int partitions) {
    return get()
        .createDataFrame(
            new org.apache.spark.api.java.JavaSparkContext(get().sparkContext())
                .parallelize(rows, partitions),
            SCHEMA);
  }
}
