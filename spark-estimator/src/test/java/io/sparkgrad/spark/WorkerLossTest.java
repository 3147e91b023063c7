package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockUpdatedInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.collection.JavaConverters;

/**
 * A Worker dies (SIGKILL, with its executor) in the middle of a multi-round fit on a real
 * standalone cluster. Its running task and its cached partition are lost; Spark reruns the task and
 * recomputes the partition from lineage on another executor, and the fit ends with exactly the
 * weights of a fault-free fit.
 */
class WorkerLossTest {
  private static final int EPOCHS = 16;
  private static final int KILL_IN_EPOCH = 3;

  @AfterEach
  void stopSession() {
    SparkTestSession.stop();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aFitThatLosesAWorkerEndsWithTheWeightsOfAFaultFreeFit() throws Exception {
    List<Row> rows = SparkTestSession.rows(8000, 64, 4, 23);
    // Three executors: when one dies, both workers' partitions still have one to run on.
    try (LocalStandaloneCluster cluster = LocalStandaloneCluster.builder().workers(3).start()) {
      SparkSession spark = SparkTestSession.onCluster(cluster, "worker-loss");
      try {
        long t0 = System.nanoTime();
        MLPModel faultFree = estimator().fit(data(spark, rows));
        System.out.printf("fault-free fit: %.1f s%n", (System.nanoTime() - t0) / 1e9);

        WorkerKiller killer =
            new WorkerKiller(
                cluster,
                spark.sparkContext().applicationId(),
                "sparkgrad fit: epoch " + KILL_IN_EPOCH + "/" + EPOCHS);
        spark.sparkContext().addSparkListener(killer);
        long t1 = System.nanoTime();
        MLPModel survivor = estimator().fit(data(spark, rows));
        long fitEnd = System.nanoTime();
        System.out.printf("fit with a lost worker: %.1f s%n", (fitEnd - t1) / 1e9);

        assertTrue(killer.killed.isDone(), "no worker was killed during the fit");
        long killedAt = killer.killed.get();
        assertTrue(killedAt < fitEnd, "the worker died after the fit ended");
        cluster.awaitAliveWorkers(2, Duration.ofSeconds(30));
        // Listener events arrive asynchronously.
        await(killer.lostTasks, "a task failing with its executor: the kill came too late");
        await(killer.recachedPartitions, "a lost partition recomputed and cached anew");
        ClusterParityTest.assertSameBits(faultFree.weightArrays(), survivor.weightArrays());
        assertEquals(EPOCHS, survivor.summary().epochs().size());
      } catch (Throwable failure) {
        System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
        throw failure;
      } finally {
        SparkTestSession.stop();
      }
    }
  }

  private static Dataset<Row> data(SparkSession spark, List<Row> rows) {
    return SparkTestSession.ordered(spark, rows, 2, SparkTestSession.SCHEMA);
  }

  private static MLPEstimator estimator() {
    return new MLPEstimator()
        .setLayers(new int[] {64, 256, 256, 4})
        .setActivation("relu")
        .setLoss("cross_entropy")
        .setOptimizer("adam")
        .setLearningRate(0.001)
        .setBatchSize(32)
        .setMaxEpochs(EPOCHS)
        .setNumWorkers(2)
        .setSeed(7);
  }

  private static void await(AtomicInteger count, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count.get() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + what);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Kills the Worker running the first task of the job with the given description. Counts the tasks
   * that failed because their executor was lost, and the partitions of cached RDDs stored after
   * that: partitions recomputed from lineage.
   */
  private static final class WorkerKiller extends SparkListener {
    private final String jobDescription;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> executor = new CompletableFuture<>();
    final AtomicInteger lostTasks = new AtomicInteger();
    final AtomicInteger recachedPartitions = new AtomicInteger();

    /** When the kill completed (System.nanoTime()). */
    final CompletableFuture<Long> killed;

    WorkerKiller(LocalStandaloneCluster cluster, String appId, String jobDescription) {
      this.jobDescription = jobDescription;
      // Not on the listener bus's thread, which must not block.
      this.killed =
          executor.thenApplyAsync(
              id -> {
                cluster.killWorker(cluster.workerOf(appId, id));
                return System.nanoTime();
              });
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      if (jobDescription.equals(job.properties().getProperty("spark.job.description"))) {
        for (Object stage : JavaConverters.seqAsJavaList(job.stageIds())) {
          stages.add((Integer) stage);
        }
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
      if (stages.contains(task.stageId())) {
        executor.complete(task.taskInfo().executorId());
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
      if (task.reason() instanceof ExecutorLostFailure) {
        lostTasks.incrementAndGet();
      }
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated update) {
      BlockUpdatedInfo block = update.blockUpdatedInfo();
      if (executor.isDone()
          && block.blockId().isRDD()
          && block.storageLevel().isValid()
          && !block.blockManagerId().executorId().equals(executor.join())) {
        recachedPartitions.incrementAndGet();
      }
    }
  }
}
