package io.sparkgrad.spark.training;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;

/**
 * The training DataFrame packed into one cached partition per worker, and what packing counted.
 *
 * @param trainRows training rows of each worker
 * @param validationRows validation rows of each worker
 * @param checksums a checksum of each worker's rows
 * @param classCounts training rows per class over all workers (weighted by weightCol when set),
 *     empty for mse
 */
record PackedInput(
    JavaRDD<WorkerData> workers,
    int[] trainRows,
    int[] validationRows,
    long[] checksums,
    long skippedRows,
    long float32Bytes,
    double[] classCounts) {

  public long trainRowCount() {
    return Arrays.stream(trainRows).asLongStream().sum();
  }

  public long validationRowCount() {
    return Arrays.stream(validationRows).asLongStream().sum();
  }

  /** What identifies the packed data in a checkpoint: rows and checksum of every worker. */
  public String fingerprint() {
    return "rows="
        + Arrays.toString(trainRows)
        + "/"
        + Arrays.toString(validationRows)
        + " checksums="
        + Arrays.toString(checksums);
  }

  public void release() {
    workers.unpersist(false);
  }
}
