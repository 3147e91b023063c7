package io.sparkgrad.spark;

import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
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

  /**
   * A driver in this JVM for {@code cluster}, once every Worker's executor has registered. Stops
   * this JVM's session first: there is one SparkContext per JVM.
   */
  static SparkSession onCluster(LocalStandaloneCluster cluster, String appName) {
    stop();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    cluster.driverConf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    try {
      cluster.awaitExecutors(spark.sparkContext(), Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    return spark;
  }

  /** Stops this JVM's session, if any; the next {@link #get()} starts a fresh local one. */
  static void stop() {
    for (scala.Option<SparkSession> s :
        List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (s.isDefined()) {
        s.get().stop();
      }
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
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

  /** A row of {@link #rows} as packing lays it: float32 features, then the label. */
  static float[] packed(Row r) {
    double[] x = ((org.apache.spark.ml.linalg.Vector) r.get(0)).toArray();
    float[] row = new float[x.length + 1];
    for (int j = 0; j < x.length; j++) {
      row[j] = (float) x[j];
    }
    row[x.length] = (float) r.getDouble(1);
    return row;
  }

  static Dataset<Row> frame(List<Row> rows, int partitions) {
    return get()
        .createDataFrame(rows, SCHEMA)
        .repartition(partitions)
        .sortWithinPartitions("label");
  }

  /** Rows in list order in exactly {@code partitions} contiguous slices. */
  static Dataset<Row> ordered(List<Row> rows, int partitions) {
    return ordered(get(), rows, partitions, SCHEMA);
  }

  /** Rows in list order in exactly {@code partitions} contiguous slices, in {@code spark}. */
  static Dataset<Row> ordered(
      SparkSession spark, List<Row> rows, int partitions, StructType schema) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
  }

  /** Runs the streaming {@code plan} into memory table {@code name}; its rows ordered by id. */
  static List<Row> runStream(Dataset<Row> plan, String name, String columns) throws Exception {
    StreamingQuery q =
        plan.writeStream().format("memory").queryName(name).outputMode("append").start();
    try {
      q.processAllAvailable();
    } finally {
      q.stop();
    }
    return get().sql("SELECT " + columns + " FROM " + name + " ORDER BY id").collectAsList();
  }
}
