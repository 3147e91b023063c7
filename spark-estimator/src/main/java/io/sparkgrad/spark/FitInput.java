package io.sparkgrad.spark;

import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.TrainingDivergedException;
import io.sparkgrad.spark.training.ColumnPlan;
import io.sparkgrad.spark.training.PackedPartition;
import io.sparkgrad.spark.training.PartitionPacker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.LoggerFactory;

/**
 * The training DataFrame packed once per partition into float32 blocks and cached; every round of
 * the fit reads those blocks, never the Rows.
 */
record FitInput(
    JavaSparkContext sparkContext,
    JavaRDD<PackedPartition> packed,
    int[] trainRowsPerPartition,
    int[] validationRowsPerPartition,
    long skippedRows,
    long cachedBytes,
    long float32Bytes) {

  static FitInput pack(Dataset<?> dataset, MLPEstimator est, MlpSpec spec) {
    String weight = est.$(est.weightCol);
    String validation = est.$(est.validationIndicatorCol);
    List<Column> cols = new ArrayList<>();
    cols.add(functions.col(est.$(est.featuresCol)));
    cols.add(functions.col(est.$(est.labelCol)));
    if (!weight.isEmpty()) {
      cols.add(functions.col(weight));
    }
    if (!validation.isEmpty()) {
      cols.add(functions.col(validation));
    }
    Dataset<Row> df = dataset.select(cols.toArray(Column[]::new));
    boolean labelIsVector = df.schema().fields()[1].dataType().simpleString().equals("vector");
    ColumnPlan plan =
        new ColumnPlan(
            est.$(est.featuresCol),
            est.$(est.labelCol),
            weight,
            validation,
            spec.loss(),
            spec.inputSize(),
            spec.targetSize(),
            spec.outputSize(),
            labelIsVector,
            est.getHandleInvalid().equals("skip"));
    if (!labelIsVector && spec.targetSize() != 1) {
      throw new InvalidInputException(
          "Column '"
              + plan.labelCol()
              + "' holds one number per row, but loss mse with "
              + spec.targetSize()
              + " outputs needs a Vector label of that length; set the last entry of layers to 1"
              + " or assemble the targets into a Vector column.");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    sc.setJobDescription("sparkgrad fit: packing partitions");
    JavaRDD<PackedPartition> packed =
        df.toJavaRDD()
            .mapPartitionsWithIndex(
                (i, rows) -> List.of(PartitionPacker.pack(i, rows, plan)).iterator(), true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<long[]> counts =
          packed
              .map(p -> new long[] {p.trainRows(), p.skippedRows(), p.validationRows()})
              .collect();
      int[] rows = counts.stream().mapToInt(c -> (int) c[0]).toArray();
      long skipped = counts.stream().mapToLong(c -> c[1]).sum();
      int[] validationRows = counts.stream().mapToInt(c -> (int) c[2]).toArray();
      long total = 0;
      for (int r : rows) {
        total += r;
      }
      if (total == 0) {
        throw new InvalidInputException(
            "The training DataFrame has no training rows"
                + (validation.isEmpty() ? "" : " (all rows are marked for validation)")
                + "; fit needs at least one row.");
      }
      if (skipped > 0) {
        LoggerFactory.getLogger(FitInput.class)
            .warn("sparkgrad: skipped {} invalid rows (handleInvalid=skip)", skipped);
      }
      long totalRows = total + java.util.Arrays.stream(validationRows).asLongStream().sum();
      long float32 =
          4L * totalRows * (spec.inputSize() + spec.targetSize() + (weight.isEmpty() ? 0 : 1));
      long cached = cachedBytes(sc, packed.id(), packed.getNumPartitions());
      LoggerFactory.getLogger(FitInput.class)
          .info(
              "sparkgrad: packed {} rows into {} cached bytes ({}x their float32 size)",
              totalRows,
              cached,
              String.format("%.3f", cached / (double) float32));
      return new FitInput(sc, packed, rows, validationRows, skipped, cached, float32);
    } catch (Exception e) { // Spark's SparkException is checked in Java terms but undeclared.
      packed.unpersist(false);
      throw unwrap(e);
    }
  }

  /**
   * What Spark's block manager holds for the cached RDD, in memory and on disk. Spark's storage
   * figures come from its listener bus, which may lag the job that cached the blocks: wait (up to
   * two seconds) until every partition is reported.
   */
  private static long cachedBytes(JavaSparkContext sc, int rddId, int partitions) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    org.apache.spark.storage.RDDInfo found;
    do {
      found = null;
      for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
        if (info.id() == rddId) {
          found = info;
        }
      }
    } while ((found == null || found.numCachedPartitions() < partitions)
        && System.nanoTime() < deadline
        && pause());
    return found == null ? 0 : found.memSize() + found.diskSize();
  }

  /** Sleeps 10 ms; false when interrupted (the flag is kept). */
  private static boolean pause() {
    try {
      Thread.sleep(10);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void release() {
    packed.unpersist(false);
    sparkContext.setJobDescription(null);
  }

  /**
   * A bad row or a diverging fit fails its task; Spark reports it as a SparkException whose cause
   * is our exception when it survives the trip from the executor, and otherwise only names it in
   * the message. Either way the user gets our exception and its message.
   */
  static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException
          || t instanceof ModelFileException
          || t instanceof TrainingDivergedException) {
        return (RuntimeException) t;
      }
    }
    Map<Class<?>, Function<String, RuntimeException>> ours =
        Map.of(
            InvalidInputException.class, InvalidInputException::new,
            TrainingDivergedException.class, TrainingDivergedException::new,
            ModelFileException.class, ModelFileException::new);
    String text = String.valueOf(e.getMessage());
    for (var kind : ours.entrySet()) {
      String marker = kind.getKey().getName() + ": ";
      int at = text.indexOf(marker);
      if (at >= 0) {
        int end = text.indexOf('\n', at);
        RuntimeException r =
            kind.getValue()
                .apply(text.substring(at + marker.length(), end < 0 ? text.length() : end).strip());
        r.addSuppressed(e);
        return r;
      }
    }
    return FitInput.<RuntimeException>rethrow(e);
  }

  /** Rethrows {@code e} unchanged, checked or not, so callers keep Spark's exception type. */
  @SuppressWarnings("unchecked")
  private static <T extends Exception> T rethrow(Exception e) throws T {
    throw (T) e;
  }
}
