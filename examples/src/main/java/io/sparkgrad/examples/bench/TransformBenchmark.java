package io.sparkgrad.examples.bench;

import io.sparkgrad.examples.Mnist;
import io.sparkgrad.examples.MnistReader;
import io.sparkgrad.spark.MLPEstimator;
import io.sparkgrad.spark.MLPModel;
import java.nio.file.Path;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;

/**
 * Scoring throughput of {@code MLPModel.transform} against Spark's
 * MultilayerPerceptronClassificationModel on the same net, on Spark local[2]. Every output column
 * is written to Spark's {@code noop} sink, so no scoring can be optimised away (a {@code count()}
 * after {@code select("prediction")} lets Catalyst drop MLPC's UDFs altogether).
 *
 * <p>usage: TransformBenchmark MNIST_DIR [SYNTHETIC_ROWS=1000000] [MLPC_SYNTHETIC_ROWS=100000]
 */
public final class TransformBenchmark {
  static final int[] LAYERS = Mnist.layers();

  private TransformBenchmark() {}

  public static void main(String[] args) {
    Path data = Path.of(args[0]);
    long synthetic = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    long mlpcSynthetic = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
    SparkSession spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> train = MnistReader.read(spark, data, "train", 2).cache();
    // Weights do not change the cost of scoring: one epoch / one l-bfgs iteration is enough.
    MLPModel ours =
        new MLPEstimator().setLayers(LAYERS).setMaxEpochs(1).setBatchSize(64).fit(train);
    Transformer mlpc =
        new MultilayerPerceptronClassifier().setLayers(LAYERS).setMaxIter(1).setSeed(1).fit(train);
    train.unpersist();
    compare(spark, data, ours, mlpc, synthetic, mlpcSynthetic);
    spark.stop();
  }

  /**
   * Prints rows/s of both models on the MNIST test rows and on synthetic rows; returns the two
   * ratios (ours / MLPC).
   */
  static double[] compare(
      SparkSession spark,
      Path data,
      MLPModel ours,
      Transformer mlpc,
      long synthetic,
      long mlpcSynthetic) {
    Dataset<Row> test = MnistReader.read(spark, data, "test", 2).cache();
    long n = test.count();
    double base = rowsPerSecond(test, n);
    double a = rowsPerSecond(ours.transform(test), n);
    double b = rowsPerSecond(mlpc.transform(test), n);
    System.out.printf(
        "transform, %d MNIST test rows (cached), local[2], every output column: sparkgrad %.0f"
            + " rows/s, MLPC %.0f rows/s, ratio %.1fx (reading the cached rows alone: %.0f"
            + " rows/s)%n",
        n, a, b, a / b, base);
    test.unpersist();
    double gen = rowsPerSecond(syntheticRows(spark, synthetic), synthetic);
    double c = rowsPerSecond(ours.transform(syntheticRows(spark, synthetic)), synthetic);
    double d = rowsPerSecond(mlpc.transform(syntheticRows(spark, mlpcSynthetic)), mlpcSynthetic);
    System.out.printf(
        "transform, synthetic 784-wide rows generated in the job (generation alone %.0f rows/s):"
            + " sparkgrad %.0f rows/s on %d rows, MLPC %.0f rows/s on %d rows, ratio %.1fx%n",
        gen, c, synthetic, d, mlpcSynthetic, c / d);
    return new double[] {a / b, c / d};
  }

  /** {@code rows} pseudo-random 784-wide vectors in 2 partitions, made inside the tasks. */
  static Dataset<Row> syntheticRows(SparkSession spark, long rows) {
    UDF1<Long, Vector> pixels =
        i -> {
          double[] v = new double[LAYERS[0]];
          long h = i * 0x9E3779B97F4A7C15L;
          for (int j = 0; j < v.length; j++) {
            h ^= h << 13;
            h ^= h >>> 7;
            h ^= h << 17;
            v[j] = (h & 0xFF) / 255.0;
          }
          return Vectors.dense(v);
        };
    return spark
        .range(0, rows, 1, 2)
        .select(
            functions
                .udf(pixels, SQLDataTypes.VectorType())
                .apply(functions.col("id"))
                .as("features"));
  }

  /**
   * Rows/s of writing every column of {@code frame} to the noop sink; best of 3 after a warm-up.
   */
  static double rowsPerSecond(Dataset<Row> frame, long rows) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      frame.write().format("noop").mode("overwrite").save();
      double s = (System.nanoTime() - t0) / 1e9;
      best = i == 0 ? best : Math.min(best, s);
    }
    return rows / best;
  }
}
