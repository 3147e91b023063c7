package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.io.CsvData;
import io.sparkgrad.engine.io.CsvReader;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.PackedData;
import io.sparkgrad.spark.MLPEstimator;
import java.nio.file.Path;
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

/**
 * The tutorial's diabetes run (8-6-4-1 sigmoid, BCE, SGD 0.01, batch 32, 100 epochs over 759 rows:
 * 2,400 steps) engine-only and as a Spark local[1] fit, after a warm-up run of each.
 *
 * <p>usage: TinyNetBenchmark [PATH to diabetes.scaled-tutorial.csv.gz; default: the repository's
 * copy, data/diabetes/]
 */
public final class TinyNetBenchmark {
  private TinyNetBenchmark() {}

  public static void main(String[] args) {
    Path file =
        Path.of(args.length > 0 ? args[0] : "data/diabetes/diabetes.scaled-tutorial.csv.gz");
    CsvData csv = CsvReader.read(file);
    MlpSpec spec = new MlpSpec(new int[] {8, 6, 4, 1}, "sigmoid", "bce");
    OptimizerSpec sgd = new OptimizerSpec("sgd", 0.01, 0, false, 0);
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      LocalTrainer t =
          new LocalTrainer(
              spec,
              sgd,
              0.01,
              new PackedData(csv.rows(), 8, 1, csv.features(), csv.labels(), null),
              32,
              true,
              run,
              new Generator(run));
      for (int e = 0; e < 100; e++) {
        t.run(e, 0, Integer.MAX_VALUE);
      }
      System.out.printf(
          "engine only, run %d: 100 epochs (2,400 steps) in %.3f s%n",
          run + 1, (System.nanoTime() - t0) / 1e9);
    }
    SparkSession spark =
        SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < csv.rows(); i++) {
      double[] x = new double[8];
      for (int j = 0; j < 8; j++) {
        x[j] = csv.features()[i * 8 + j];
      }
      rows.add(RowFactory.create(Vectors.dense(x), (double) csv.labels()[i]));
    }
    StructType schema =
        new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1).cache();
    df.count();
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      new MLPEstimator()
          .setLayers(new int[] {8, 6, 4, 1})
          .setActivation("sigmoid")
          .setLoss("bce")
          .setLearningRate(0.01)
          .setBatchSize(32)
          .setMaxEpochs(100)
          .setSeed(run)
          .fit(df);
      System.out.printf(
          "Spark local[1], run %d: fit of 100 epochs in %.3f s%n",
          run + 1, (System.nanoTime() - t0) / 1e9);
    }
    spark.stop();
  }
}
