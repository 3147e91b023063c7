package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.RowKeys;
import io.sparkgrad.spark.InvalidInputException;
import io.sparkgrad.spark.SparkErrors;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Packs the training DataFrame into exactly {@code numWorkers} cached partitions, whatever its own
 * partitioning: each input partition encodes and checks its rows, every row goes to the worker its
 * content key picks (a seeded shuffle that does not depend on the input's order), and each worker
 * lays its rows into bounded blocks sorted by key. Same data, seed and worker count: same rows in
 * the same order on every worker.
 */
final class Packing {
  private Packing() {}

  /** The top-level column {@code name}, quoted: "a.b" names a column, not field b of struct a. */
  private static Column column(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  static PackedInput pack(Dataset<?> dataset, ColumnPlan plan, long seed, int numWorkers) {
    Column[] cols = plan.columns().stream().map(Packing::column).toArray(Column[]::new);
    JavaRDD<WorkerData> workers =
        dataset
            .select(cols)
            .toJavaRDD()
            .mapPartitionsWithIndex((p, rows) -> RowEncoder.encode(p, rows, plan, seed), false)
            .mapToPair(r -> new Tuple2<>(RowKeys.worker(r.key, numWorkers), r))
            .partitionBy(new HashPartitioner(numWorkers)) // worker w's rows -> partition w
            .values()
            .mapPartitionsWithIndex(
                (w, rows) -> List.of(WorkerData.pack(w, rows, plan)).iterator(), true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Tuple2<long[], double[]>> stats =
          workers
              .map(
                  w ->
                      new Tuple2<>(
                          new long[] {
                            w.train().size(), w.validation().size(), w.skippedRows(), w.checksum()
                          },
                          w.classCounts()))
              .collect();
      List<long[]> counts = stats.stream().map(Tuple2::_1).toList();
      double[] classCounts = new double[stats.get(0)._2().length];
      for (Tuple2<long[], double[]> st : stats) { // in worker order: the same sums every time
        for (int c = 0; c < classCounts.length; c++) {
          classCounts[c] += st._2()[c];
        }
      }
      int[] train = counts.stream().mapToInt(c -> (int) c[0]).toArray();
      int[] validation = counts.stream().mapToInt(c -> (int) c[1]).toArray();
      long[] checksums = counts.stream().mapToLong(c -> c[3]).toArray();
      long skipped = counts.stream().mapToLong(c -> c[2]).sum();
      long rows = 0;
      for (long[] c : counts) {
        rows += c[0] + c[1];
      }
      PackedInput input =
          new PackedInput(
              workers,
              train,
              validation,
              checksums,
              skipped,
              4L * rows * plan.width(),
              classCounts);
      if (input.trainRowCount() == 0) {
        throw new InvalidInputException(
            "The training DataFrame has no training rows"
                + (plan.hasValidation() ? " (all rows are marked for validation)" : "")
                + (skipped > 0 ? " (" + skipped + " invalid rows were skipped)" : "")
                + "; fit needs at least one row.");
      }
      return input;
    } catch (Exception e) { // Spark's SparkException is checked in Java terms but undeclared.
      workers.unpersist(false);
      throw SparkErrors.unwrap(e);
    }
  }
}
