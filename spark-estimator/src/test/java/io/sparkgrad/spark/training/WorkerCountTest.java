package io.sparkgrad.spark.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkerCountTest {
  private static final long MB = 1L << 20;

  @Test
  void dataThatFitsSetsNoFloor() {
    // 220 MB of MNIST against 1.5 GB of storage on 2 slots: 384 MB a worker.
    assertEquals(1, WorkerCount.byMemory(220 * MB, 1536 * MB, 2));
  }

  @Test
  void dataLargerThanMemoryNeedsMoreWorkersThanSlots() {
    // 4.04 GB against 1.5 GB of storage on 2 slots: shares of at most 384 MB, so 11 workers.
    assertEquals(11, WorkerCount.byMemory(4040 * MB, 1536 * MB, 2));
    // The same data on one slot per executor: shares of 768 MB.
    assertEquals(6, WorkerCount.byMemory(4040 * MB, 1536 * MB, 1));
  }

  @Test
  void noReportedMemoryMeansNoFloor() {
    assertEquals(1, WorkerCount.byMemory(4040 * MB, 0, 2));
    assertEquals(1, WorkerCount.byMemory(4040 * MB, Long.MAX_VALUE, 2));
  }
}
