package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.TrainSettings;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.BlockManagerId;
import org.slf4j.LoggerFactory;

/**
 * The number of workers when numWorkers is 0 (auto): the session's task slots ({@code
 * defaultParallelism}), but no more than the data can use. A worker is worth its round cost (a
 * broadcast, a task, a combine: about 0.1 s) only with enough arithmetic per epoch, so each worker
 * gets at least {@link #MIN_FLOPS_PER_WORKER} of an epoch's multiply-adds and {@link
 * #MIN_BATCHES_PER_WORKER} mini-batches; the tutorial's 768-row diabetes set trains in one worker.
 *
 * <p>Memory sets a floor that wins over the slots: a worker holds all its rows while it packs and
 * trains, and every slot of an executor may run one at once, so a worker's share is kept to {@link
 * #SHARE_OF_STORAGE} of an executor's storage memory per slot. Data larger than memory then trains
 * as more workers than slots, run in waves, their cached rows spilled to disk between rounds.
 */
final class WorkerCount {
  /** About 0.1 s of one core's float32 GEMM at 40-90 GFLOP/s. */
  static final double MIN_FLOPS_PER_WORKER = 5e9;

  static final int MIN_BATCHES_PER_WORKER = 8;

  /**
   * Spark's storage region is (heap - 300 MB) x spark.memory.fraction (0.6); the rows a task holds
   * live in the rest, about two thirds of that size, beside Spark's own objects: half the storage
   * region per slot leaves room for both.
   */
  static final double SHARE_OF_STORAGE = 0.5;

  /** Packed bytes per row beyond its float32 values: the row's key and its place in the order. */
  static final int ROW_OVERHEAD_BYTES = 12;

  private WorkerCount() {}

  static int resolve(int param, JavaSparkContext sc, Dataset<?> dataset, TrainSettings s) {
    if (param > 0) {
      return param;
    }
    int slots = sc.defaultParallelism();
    long rows = dataset.count();
    // Forward and backward: about 6 FLOP per weight per row.
    double epochFlops = 6.0 * s.spec().parameterCount() * rows;
    long byWork = (long) (epochFlops / MIN_FLOPS_PER_WORKER);
    long byBatches = rows / ((long) s.batchSize() * MIN_BATCHES_PER_WORKER);
    int n = (int) Math.max(1, Math.min(slots, Math.min(byWork, byBatches)));
    SparkExecutorInfo[] executors = sc.sc().statusTracker().getExecutorInfos();
    // In a cluster the list holds the driver's block manager too, which runs no task: leave it out.
    BlockManagerId driver = SparkEnv.get().blockManager().blockManagerId();
    long storage = Long.MAX_VALUE;
    int taskExecutors = 0;
    for (SparkExecutorInfo e : executors) {
      boolean isDriver = e.host().equals(driver.host()) && e.port() == driver.port();
      if (executors.length == 1 || !isDriver) {
        storage = Math.min(storage, e.totalOnHeapStorageMemory());
        taskExecutors++;
      }
    }
    int slotsPerExecutor = (int) Math.ceil(slots / (double) Math.max(1, taskExecutors));
    long rowBytes = 4L * (s.spec().inputSize() + s.spec().targetSize() + 1) + ROW_OVERHEAD_BYTES;
    int floor = byMemory(rows * rowBytes, storage, slotsPerExecutor);
    LoggerFactory.getLogger(WorkerCount.class)
        .info(
            "sparkgrad: numWorkers=0 chose {} workers ({} task slots, {} rows, {} GFLOP an epoch,"
                + " {} MB packed, {} MB storage memory per executor)",
            Math.max(n, floor),
            slots,
            rows,
            String.format("%.2f", epochFlops / 1e9),
            rows * rowBytes >> 20,
            storage >> 20);
    return Math.max(n, floor);
  }

  /**
   * The fewest workers whose shares of {@code dataBytes} fit {@link #SHARE_OF_STORAGE} of {@code
   * storageBytes} (an executor's storage memory) divided among its {@code slotsPerExecutor}.
   */
  static int byMemory(long dataBytes, long storageBytes, int slotsPerExecutor) {
    double perWorker = SHARE_OF_STORAGE * storageBytes / Math.max(1, slotsPerExecutor);
    if (storageBytes <= 0 || storageBytes == Long.MAX_VALUE) {
      return 1; // nothing reported: no floor
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(dataBytes / perWorker)));
  }
}
