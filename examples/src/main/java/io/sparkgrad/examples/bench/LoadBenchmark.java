package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.spark.MLPEstimator;
import io.sparkgrad.spark.MLPModel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains on a synthetic set larger than the JVM's heap: rows are generated inside the tasks and the
 * packed partitions are cached MEMORY_AND_DISK, so what does not fit spills to disk. Prints
 * throughput and the peak heap used. Run with a small heap, e.g. -Xmx3g, and
 *
 * <p>usage: LoadBenchmark [ROWS=10000000] [FEATURES=100] [PARTITIONS=400] [EPOCHS=2]
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    SparkSession spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    StructType schema =
        new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);
    Dataset<Row> data =
        spark
            .range(0, rows, 1, partitions)
            .map(
                (MapFunction<Long, Row>)
                    i -> {
                      SplittableRandom r = new SplittableRandom(i);
                      double[] x = new double[d];
                      double s = 0;
                      for (int j = 0; j < d; j++) {
                        x[j] = r.nextDouble() * 2 - 1;
                        s += j < 10 ? x[j] : 0;
                      }
                      return RowFactory.create(Vectors.dense(x), s > 0 ? 1.0 : 0.0);
                    },
                Encoders.row(schema));
    double floatBytes = rows * (d + 1) * 4.0;
    System.out.printf(
        "%d rows x %d features = %.2f GB as float32; max heap %.2f GB%n",
        rows, d, floatBytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9);
    long t0 = System.nanoTime();
    MLPModel model =
        new MLPEstimator()
            .setLayers(new int[] {d, 64, 1})
            .setLoss("bce")
            .setOptimizer("adam")
            .setLearningRate(1e-3)
            .setBatchSize(256)
            .setMaxEpochs(epochs)
            .fit(data);
    double wall = (System.nanoTime() - t0) / 1e9;
    for (EpochStats e : model.summary().epochs()) {
      System.out.printf(
          "epoch %d: loss %.4f, %.1f s, %.0f rows/s%n",
          e.epoch(), e.trainLoss(), e.seconds(), e.rows() / e.seconds());
    }
    System.out.printf(
        "fit %.1f s including generation and packing; peak heap %.2f GB%n", wall, peakHeap() / 1e9);
    spark.stop();
  }

  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
