package io.sparkgrad.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.examples.bench.RoundCostBenchmark.Figures;
import io.sparkgrad.examples.bench.RoundCostBenchmark.Setup;
import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The round-cost benchmark's core on a real two-Worker standalone cluster, for a few rounds; and
 * the whole benchmark, run only when asked for (see {@link RoundCostBenchmark}).
 */
class RoundCostBenchmarkTest {

  @Test
  // About 50 s on a quiet 2-core machine; the margin is for a loaded one.
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void roundsOnATwoWorkerClusterHaveFinitePositiveCosts() throws Exception {
    try (LocalStandaloneCluster cluster =
        LocalStandaloneCluster.builder().workers(2).memoryPerWorker("1g").start()) {
      SparkSession spark = RoundCostBenchmark.session(cluster, "round-cost-test");
      try {
        Figures f =
            RoundCostBenchmark.measure(
                spark, 2, new Setup(2, RoundCostBenchmark.NETS.get("10k"), 4, 4));
        assertEquals(1.0, f.roundsPerEpoch(), "one round per epoch by construction");
        assertEquals(3, f.rounds());
        for (double x : f.numbers()) {
          assertTrue(Double.isFinite(x) && x >= 0, "figures: " + f.numbers());
        }
        String all = RoundCostBenchmark.table(java.util.List.of(f), 4, 4, 1);
        assertTrue(f.median() > 0 && f.p90() >= f.median(), all);
        for (double[] perRound : java.util.List.of(f.jobSeconds(), f.slowestTask(), f.taskRun())) {
          assertEquals(3, perRound.length, all);
          assertTrue(RoundCostBenchmark.quantile(perRound, 0.5) > 0, all);
        }
        assertTrue(f.stepSeconds() > 0 && f.cpuEstimate() > 0, all);
        // At least the state's 40 kB leaves the driver as a broadcast each round.
        assertTrue(
            f.fitThreadBytesPerRound() > 40_000
                && f.driverBytesPerRound() >= f.fitThreadBytesPerRound(),
            all);
      } catch (Throwable failure) {
        System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
        throw failure;
      } finally {
        spark.stop();
      }
    }
  }

  /** The benchmark itself, with the options in the system property sparkgrad.bench.roundCost. */
  @Test
  @EnabledIfSystemProperty(named = "sparkgrad.bench.roundCost", matches = ".*")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void sweep() throws Exception {
    String options = System.getProperty("sparkgrad.bench.roundCost").strip();
    RoundCostBenchmark.main(options.isEmpty() ? new String[0] : options.split("\\s+"));
  }
}
