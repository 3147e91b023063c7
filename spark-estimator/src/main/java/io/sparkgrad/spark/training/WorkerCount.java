package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.TrainSettings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.slf4j.LoggerFactory;

/**
 * The number of workers when numWorkers is 0 (auto): the session's task slots ({@code
 * defaultParallelism}), but no more than the data can use. A worker is worth its round cost (a
 * broadcast, a task, a combine: about 0.1 s) only with enough arithmetic per epoch, so each worker
 * gets at least {@link #MIN_FLOPS_PER_WORKER} of an epoch's multiply-adds and {@link
 * #MIN_BATCHES_PER_WORKER} mini-batches; the tutorial's 768-row diabetes set trains in one worker.
 */
final class WorkerCount {
  /** About 0.1 s of one core's float32 GEMM at 40-90 GFLOP/s. */
  static final double MIN_FLOPS_PER_WORKER = 5e9;

  static final int MIN_BATCHES_PER_WORKER = 8;

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
    LoggerFactory.getLogger(WorkerCount.class)
        .info(
            "sparkgrad: numWorkers=0 chose {} workers ({} task slots, {} rows, {} GFLOP an epoch)",
            n,
            slots,
            rows,
            String.format("%.2f", epochFlops / 1e9));
    return n;
  }
}
