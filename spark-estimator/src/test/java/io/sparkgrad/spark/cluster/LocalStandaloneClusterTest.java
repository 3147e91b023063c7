package io.sparkgrad.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starts a real Master and two Workers and runs jobs on their executor JVMs. */
class LocalStandaloneClusterTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void tasksRunInTwoExecutorJvmsAndSurviveAKilledWorker() throws Exception {
    try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(2)) {
      assertEquals(2, cluster.aliveWorkers());
      stopSessionOfEarlierTests();
      SparkSession.Builder builder = SparkSession.builder().appName("cluster-test");
      cluster.driverConf().forEach(builder::config);
      builder.config("spark.executor.memory", "512m");
      // These jobs are tiny: a faster JVM start matters more than peak speed.
      builder.config("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1");
      SparkSession spark = builder.getOrCreate();
      try {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        cluster.awaitExecutors(spark.sparkContext(), Duration.ofSeconds(60));

        List<String> where = whereTasksRan(sc, 8);
        Set<Long> executorPids =
            where.stream().map(s -> Long.parseLong(s.split("/")[1])).collect(Collectors.toSet());
        assertEquals(2, executorPids.size(), "tasks ran in: " + where);
        long driverPid = ProcessHandle.current().pid();
        assertFalse(executorPids.contains(driverPid), "a task ran in the driver: " + where);
        for (long pid : executorPids) {
          assertTrue(
              cluster.workerPids().contains(parentPid(pid)),
              "executor " + pid + " is not a child of a Worker " + cluster.workerPids());
        }

        int sum = sumAfterKillingAWorkerMidJob(sc, cluster);
        assertEquals(IntStream.rangeClosed(1, 40).sum(), sum);
        cluster.awaitAliveWorkers(1, Duration.ofSeconds(30));
        Set<Long> survivors = new HashSet<>();
        for (String s : whereTasksRan(sc, 4)) {
          survivors.add(Long.parseLong(s.split("/")[1]));
        }
        assertEquals(1, survivors.size(), "tasks after the kill ran in: " + survivors);
        assertEquals(parentPid(survivors.iterator().next()), cluster.workerPids().get(1));
      } catch (Throwable failure) {
        System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
        throw failure;
      } finally {
        spark.stop();
      }
    }
  }

  /** One "executorId/pid" per partition, each task taking long enough that both executors work. */
  private static List<String> whereTasksRan(JavaSparkContext sc, int partitions) {
    List<Integer> numbers = IntStream.range(0, partitions).boxed().toList();
    return sc.parallelize(numbers, partitions)
        .mapPartitions(
            (Iterator<Integer> it) -> {
              Thread.sleep(300);
              String where = SparkEnv.get().executorId() + "/" + ProcessHandle.current().pid();
              return List.of(where).iterator();
            })
        .collect();
  }

  /**
   * Sums 1..40 in 40 slow tasks and SIGKILLs Worker 0 (and its executor) once both executors are
   * busy; the lost tasks must be rerun on the other executor.
   */
  private static int sumAfterKillingAWorkerMidJob(
      JavaSparkContext sc, LocalStandaloneCluster cluster) throws Exception {
    CountDownLatch tasksStarted = new CountDownLatch(4);
    sc.sc()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskStart(SparkListenerTaskStart taskStart) {
                tasksStarted.countDown();
              }
            });
    List<Integer> numbers = IntStream.rangeClosed(1, 40).boxed().toList();
    JavaRDD<Integer> slow =
        sc.parallelize(numbers, 40)
            .map(
                x -> {
                  Thread.sleep(150);
                  return x;
                });
    CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> slow.reduce(Integer::sum));
    try {
      assertTrue(tasksStarted.await(30, TimeUnit.SECONDS), "the job's tasks did not start");
      assertFalse(job.isDone(), "the job finished before a worker could be killed");
      cluster.killWorker(0);
      return job.get(60, TimeUnit.SECONDS);
    } finally {
      job.cancel(true);
    }
  }

  /** One SparkContext per JVM: a local session left by another test class would be reused. */
  private static void stopSessionOfEarlierTests() {
    for (scala.Option<SparkSession> s :
        List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (s.isDefined()) {
        s.get().stop();
      }
    }
  }

  private static long parentPid(long pid) {
    Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
    return parent.map(ProcessHandle::pid).orElse(-1L);
  }
}
