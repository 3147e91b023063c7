package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.PackedData;
import io.sparkgrad.spark.MLPEstimator;
import io.sparkgrad.spark.TrainingSummary;
import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The fixed cost of one training round (broadcast of the state, scheduling the tasks, the
 * fixed-shape tree combine, returning the result) on a real Spark standalone cluster: a Master and
 * W Workers started on 127.0.0.1 by {@link LocalStandaloneCluster}, each Worker with one core, so
 * every executor is its own JVM as on a cluster.
 *
 * <p>Each measurement is an ordinary {@code MLPEstimator} fit through the public API with {@code
 * numWorkers} workers on a few rows per worker, a batch that holds every worker's rows and {@code
 * syncInterval=1}: every epoch is exactly one round (checked by counting the epoch's Spark jobs),
 * and the compute inside a round (one step on a few rows, reported apart) is negligible, so the
 * epoch seconds in the summary are the round's fixed cost. A checkpoint directory is set, with one
 * checkpoint at the very end (outside every epoch's seconds), because a one-worker fit without
 * checkpoints runs all its epochs inside one task and has no rounds at all. The first epoch of
 * every fit is left out (warm-up).
 *
 * <p>The driver's memory per round is the heap it allocates per round, read from {@code
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: on the thread that calls {@code fit}
 * (serializing and broadcasting the state, merging the results) and on all the driver's threads
 * together (adding the task-result and RPC threads, which receive and deserialize the results).
 * Netty's off-heap buffers are not counted. Figures are sampled when each epoch's job starts and
 * averaged over the rounds between the second epoch's job and the last one's.
 *
 * <p>Run it (it needs the test-only cluster support, so it runs through surefire):
 *
 * <pre>
 * mvn -B -pl examples -am test -Dtest='RoundCostBenchmarkTest#sweep' \
 *     -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsparkgrad.bench.roundCost="--clusters 1,2,4 --nets 10k,mnist,2.5M --epochs 31"
 * </pre>
 *
 * Options: {@code --clusters} Worker counts (one cluster each, numWorkers = Workers), {@code
 * --nets} (10k, mnist, 2.5M), {@code --epochs} per fit (rounds measured = epochs - 1), {@code
 * --rows-per-worker} (4), {@code --extra-workers} numWorkers values run on the largest cluster too
 * (more tasks than cores: exercises the tree's shuffle levels above {@code 8} workers), {@code
 * --memory} per Worker (1g), {@code --out} a file for the table (target/round-cost.md).
 */
public final class RoundCostBenchmark {
  private RoundCostBenchmark() {}

  /** A net whose state is its weights and biases (sgd without momentum keeps no buffers). */
  public record Net(String name, int[] layers) {
    public long stateFloats() {
      long n = 0;
      for (int l = 0; l + 1 < layers.length; l++) {
        n += (long) layers[l] * layers[l + 1] + layers[l + 1];
      }
      return n;
    }

    @Override
    public String toString() {
      return name + " " + Arrays.toString(layers).replace(", ", "-");
    }
  }

  /** About 10k, 575k (the MNIST net) and 2.5M floats of state. */
  public static final Map<String, Net> NETS =
      Map.of(
          "10k", new Net("10k", new int[] {100, 90, 10}),
          "mnist", new Net("mnist", new int[] {784, 512, 256, 128, 64, 10}),
          "2.5M", new Net("2.5M", new int[] {1000, 2000, 250, 10}));

  /** One measurement: a fit of {@code epochs} one-round epochs with {@code numWorkers} workers. */
  public record Setup(int numWorkers, Net net, int epochs, int rowsPerWorker) {
    public Setup {
      if (epochs < 3) {
        throw new IllegalArgumentException("epochs must be >= 3 (one warm-up, two measured)");
      }
    }
  }

  /**
   * What one fit measured, per round (the first epoch left out).
   *
   * @param executors the cluster's Workers (one single-core executor each)
   * @param roundsPerEpoch Spark jobs per epoch of the fit (1 here by construction; checked)
   * @param rounds rounds whose seconds were measured
   * @param medianSeconds median wall seconds of a round (epoch seconds / rounds per epoch)
   * @param p90Seconds 90th percentile of the same
   * @param medianJobSeconds median seconds from the round's job start to its end (Spark's times)
   * @param medianSlowestTaskSeconds median over rounds of the round's slowest task
   * @param stepSeconds one training step on one worker's rows, timed in the driver's JVM: the
   *     compute part of a round
   * @param fitThreadBytes heap bytes the fitting thread allocated per round
   * @param driverBytes heap bytes all the driver's threads allocated per round
   * @param gcMillis driver GC milliseconds per round
   */
  public record Figures(
      int executors,
      Setup setup,
      double roundsPerEpoch,
      int rounds,
      double medianSeconds,
      double p90Seconds,
      double medianJobSeconds,
      double medianSlowestTaskSeconds,
      double stepSeconds,
      double fitThreadBytes,
      double driverBytes,
      double gcMillis) {

    List<Double> numbers() {
      return List.of(
          roundsPerEpoch,
          medianSeconds,
          p90Seconds,
          medianJobSeconds,
          medianSlowestTaskSeconds,
          stepSeconds,
          fitThreadBytes,
          driverBytes,
          gcMillis);
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> o = options(args);
    int[] clusters = ints(o.getOrDefault("clusters", "1,2,4"));
    List<Net> nets = new ArrayList<>();
    for (String name : o.getOrDefault("nets", "10k,mnist,2.5M").split(",")) {
      Net net = NETS.get(name.strip());
      if (net == null) {
        throw new IllegalArgumentException("Unknown net " + name + "; known: " + NETS.keySet());
      }
      nets.add(net);
    }
    int epochs = Integer.parseInt(o.getOrDefault("epochs", "31"));
    int rowsPerWorker = Integer.parseInt(o.getOrDefault("rows-per-worker", "4"));
    String extra = o.getOrDefault("extra-workers", "");
    int[] extraWorkers = extra.isBlank() ? new int[0] : ints(extra);
    String memory = o.getOrDefault("memory", "1g");
    Path out = Path.of(o.getOrDefault("out", "target/round-cost.md"));

    Map<Setup, Double> steps = new HashMap<>();
    List<Figures> all = new ArrayList<>();
    int largest = Arrays.stream(clusters).max().orElseThrow();
    for (int w : clusters) {
      List<Setup> setups = new ArrayList<>();
      for (Net net : nets) {
        setups.add(new Setup(w, net, epochs, rowsPerWorker));
      }
      if (w == largest) {
        for (int n : extraWorkers) {
          for (Net net : nets) {
            setups.add(new Setup(n, net, epochs, rowsPerWorker));
          }
        }
      }
      long t0 = System.nanoTime();
      System.out.printf(
          "Starting a Master and %d Workers (1 core, %s each); load average %s%n",
          w, memory, loadAverage());
      try (LocalStandaloneCluster cluster =
          LocalStandaloneCluster.builder().workers(w).memoryPerWorker(memory).start()) {
        System.out.printf("  cluster up after %.1f s%n", seconds(t0));
        SparkSession spark = session(cluster, "round-cost-" + w);
        try {
          System.out.printf("  executors registered after %.1f s%n", seconds(t0));
          warmUp(spark, w);
          System.out.printf("  warmed up after %.1f s%n", seconds(t0));
          for (Setup s : setups) {
            Figures f = measure(spark, w, s);
            all.add(f);
            System.out.printf(
                "%s  (after %.1f s; load average %s)%n", row(f), seconds(t0), loadAverage());
          }
        } catch (RuntimeException | Error e) {
          System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
          throw e;
        } finally {
          spark.stop();
        }
      }
    }
    String table = table(all, rowsPerWorker, epochs);
    System.out.println();
    System.out.println(table);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, table);
    System.out.println("Written to " + out.toAbsolutePath());
  }

  /**
   * A driver in this JVM for {@code cluster} (stopping any session this JVM had: one SparkContext
   * per JVM), once every Worker's executor has registered.
   */
  public static SparkSession session(LocalStandaloneCluster cluster, String appName) {
    for (scala.Option<SparkSession> s :
        List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (s.isDefined()) {
        s.get().stop();
      }
    }
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    cluster.driverConf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    try {
      cluster.awaitExecutors(spark.sparkContext(), Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      spark.stop();
      throw e;
    }
    // The fits log a "loss never fell" warning on these random labels; it is not news here.
    spark.sparkContext().setLogLevel("ERROR");
    return spark;
  }

  /** A short fit that loads and compiles the round's code on the driver and every executor. */
  public static void warmUp(SparkSession spark, int numWorkers) {
    measure(spark, numWorkers, new Setup(numWorkers, NETS.get("10k"), 4, 4));
  }

  /** One fit of {@code s} on {@code spark}'s cluster of {@code executors} Workers, measured. */
  public static Figures measure(SparkSession spark, int executors, Setup s) {
    int rows = s.numWorkers() * s.rowsPerWorker();
    Path checkpoints;
    try {
      checkpoints = Files.createTempDirectory("round-cost-checkpoints-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    MLPEstimator mlp =
        new MLPEstimator()
            .setLayers(s.net().layers())
            .setActivation("relu")
            .setLoss("cross_entropy")
            .setOptimizer("sgd")
            .setLearningRate(0.001)
            .setBatchSize(rows) // every worker's rows in one batch: one step per epoch
            .setMaxEpochs(s.epochs())
            .setSeed(1)
            .setNumWorkers(s.numWorkers())
            .setSyncInterval(1)
            // With one worker and no checkpoints, the whole fit runs in one task; a checkpoint
            // due only after the last epoch keeps the per-round path and stays outside the epochs.
            .setCheckpointDir(checkpoints.toString())
            .setCheckpointInterval(s.epochs());
    Dataset<Row> data = data(spark, s.net(), rows);
    RoundProbe probe = new RoundProbe(Thread.currentThread().getId());
    spark.sparkContext().addSparkListener(probe);
    TrainingSummary summary;
    try {
      summary = mlp.fit(data).summary();
      waitForListenerBus(spark);
    } finally {
      spark.sparkContext().removeSparkListener(probe);
      deleteRecursively(checkpoints);
    }
    if (summary.numWorkers() != s.numWorkers() || summary.syncInterval() != 1) {
      throw new IllegalStateException(
          "The fit ran "
              + summary.numWorkers()
              + " workers syncing every "
              + summary.syncInterval()
              + " steps, not "
              + s.numWorkers()
              + " every step");
    }
    return probe.figures(executors, s, summary.epochs(), stepSeconds(s));
  }

  /** Random features in [-1, 1] and labels cycling through the classes. */
  private static Dataset<Row> data(SparkSession spark, Net net, int rows) {
    int in = net.layers()[0];
    int classes = net.layers()[net.layers().length - 1];
    SplittableRandom r = new SplittableRandom(7);
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[in];
      for (int j = 0; j < in; j++) {
        x[j] = r.nextDouble() * 2 - 1;
      }
      list.add(RowFactory.create(Vectors.dense(x), (double) (i % classes)));
    }
    StructType schema =
        new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(list, schema);
  }

  /** One training step on one worker's rows (forward, backward, update), timed in this JVM. */
  private static double stepSeconds(Setup s) {
    int[] layers = s.net().layers();
    int rows = s.rowsPerWorker();
    Generator g = new Generator(3);
    float[] x = new float[rows * layers[0]];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = g.uniform(-1, 1);
    }
    for (int i = 0; i < rows; i++) {
      y[i] = i % layers[layers.length - 1];
    }
    LocalTrainer t =
        new LocalTrainer(
            new MlpSpec(layers, "relu", "cross_entropy"),
            new OptimizerSpec("sgd", 0.001, 0, false, 0),
            0.001,
            new PackedData(rows, layers[0], 1, x, y, null),
            rows,
            false,
            1,
            new Generator(1));
    Batch b = t.batch(0, 0);
    return StepBenchmark.timeMs(() -> t.step(b), 1) / 1e3;
  }

  /**
   * Waits until the listener bus has delivered every event posted so far (the fit's last job end
   * included): runs a marker job and waits to hear of its end, which is queued after them.
   */
  private static void waitForListenerBus(SparkSession spark) {
    String description = "round-cost: listener bus marker";
    CountDownLatch done = new CountDownLatch(1);
    SparkListener l =
        new SparkListener() {
          private final Set<Integer> markers = ConcurrentHashMap.newKeySet();

          @Override
          public void onJobStart(SparkListenerJobStart e) {
            if (e.properties() != null
                && description.equals(e.properties().getProperty("spark.job.description"))) {
              markers.add(e.jobId());
            }
          }

          @Override
          public void onJobEnd(SparkListenerJobEnd e) {
            if (markers.contains(e.jobId())) {
              done.countDown();
            }
          }
        };
    spark.sparkContext().addSparkListener(l);
    try {
      spark.sparkContext().setJobDescription(description);
      spark.range(1).javaRDD().count();
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Spark's listener bus did not catch up within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      spark.sparkContext().setJobDescription(null);
      spark.sparkContext().removeSparkListener(l);
    }
  }

  /**
   * Samples the driver's allocation and GC figures when each epoch's job starts, and collects the
   * jobs' and tasks' times. Runs on Spark's listener bus thread.
   */
  static final class RoundProbe extends SparkListener {
    private static final String EPOCH_JOB = "sparkgrad fit: epoch ";

    private final long fitThread;
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    // Per-thread allocation at the last sample, so threads that end do not lower the total.
    private final Map<Long, Long> lastByThread = new HashMap<>();
    private long driverBytes;

    /** Per epoch (1-based): the first job's sample, and the number of jobs. */
    private final TreeMap<Integer, Sample> firstSample = new TreeMap<>();

    private final Map<Integer, Integer> jobsPerEpoch = new HashMap<>();
    private final Map<Integer, Integer> epochOfJob = new HashMap<>();
    private final Map<Integer, Long> jobStart = new HashMap<>();
    private final Map<Integer, Long> jobMillis = new LinkedHashMap<>();
    private final Map<Integer, Integer> jobOfStage = new HashMap<>();
    private final Map<Integer, Long> slowestTask = new HashMap<>();

    record Sample(long fitThreadBytes, long driverBytes, long gcMillis) {}

    RoundProbe(long fitThread) {
      this.fitThread = fitThread;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
      String description =
          e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      if (description == null || !description.startsWith(EPOCH_JOB)) {
        return;
      }
      int epoch = Integer.parseInt(description.substring(EPOCH_JOB.length()).split("/")[0]);
      jobsPerEpoch.merge(epoch, 1, Integer::sum);
      epochOfJob.put(e.jobId(), epoch);
      jobStart.put(e.jobId(), e.time());
      for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
        jobOfStage.put((Integer) stage, e.jobId());
      }
      if (!firstSample.containsKey(epoch)) {
        firstSample.put(epoch, sample());
      }
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd e) {
      Long start = jobStart.get(e.jobId());
      if (start != null) {
        jobMillis.put(e.jobId(), e.time() - start);
      }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
      Integer job = jobOfStage.get(e.stageId());
      if (job != null) {
        slowestTask.merge(job, e.taskInfo().duration(), Math::max);
      }
    }

    private Sample sample() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      long fit = 0;
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] < 0) {
          continue; // the thread ended meanwhile
        }
        driverBytes += bytes[i] - lastByThread.getOrDefault(ids[i], 0L);
        lastByThread.put(ids[i], bytes[i]);
        if (ids[i] == fitThread) {
          fit = bytes[i];
        }
      }
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : gcs) {
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      return new Sample(fit, driverBytes, gcMillis);
    }

    synchronized Figures figures(
        int executors, Setup s, List<EpochStats> epochs, double stepSeconds) {
      int e = s.epochs();
      if (epochs.size() != e || firstSample.size() != e) {
        throw new IllegalStateException(
            "Expected "
                + e
                + " epochs with Spark jobs, the summary has "
                + epochs.size()
                + " and the listener saw jobs of "
                + firstSample.keySet());
      }
      int jobs = jobsPerEpoch.values().stream().mapToInt(Integer::intValue).sum();
      double roundsPerEpoch = (double) jobs / e;
      // Epoch 1 is warm-up; allocations run from epoch 2's first job to epoch e's.
      double[] seconds =
          epochs.subList(1, e).stream().mapToDouble(x -> x.seconds() / roundsPerEpoch).toArray();
      double measuredRounds = (e - 2) * roundsPerEpoch;
      Sample from = firstSample.get(2);
      Sample to = firstSample.get(e);
      List<Double> jobSeconds = new ArrayList<>();
      List<Double> taskSeconds = new ArrayList<>();
      jobMillis.forEach(
          (job, ms) -> {
            if (epochOfJob.get(job) > 1) {
              jobSeconds.add(ms / 1e3);
              taskSeconds.add(slowestTask.getOrDefault(job, 0L) / 1e3);
            }
          });
      return new Figures(
          executors,
          s,
          roundsPerEpoch,
          seconds.length,
          quantile(seconds, 0.5),
          quantile(seconds, 0.9),
          quantile(jobSeconds.stream().mapToDouble(Double::doubleValue).toArray(), 0.5),
          quantile(taskSeconds.stream().mapToDouble(Double::doubleValue).toArray(), 0.5),
          stepSeconds,
          (to.fitThreadBytes() - from.fitThreadBytes()) / measuredRounds,
          (to.driverBytes() - from.driverBytes()) / measuredRounds,
          (to.gcMillis() - from.gcMillis()) / measuredRounds);
    }
  }

  /** The nearest-rank quantile; NaN for no values. */
  static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  static String table(List<Figures> all, int rowsPerWorker, int epochs) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "Round cost: %d epochs a fit of one round each (first left out), %d rows per worker,"
                + " syncInterval 1, sgd.%n%n",
            epochs,
            rowsPerWorker));
    t.append(
        "| Workers (1 core each) | numWorkers | net | state floats | rounds | median s/round"
            + " | p90 s/round | median job s | median slowest task s | compute: step ms"
            + " | driver MB/round, fit thread | driver MB/round, all threads"
            + " | all threads / state bytes | driver GC ms/round |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : all) {
      t.append(row(f)).append('\n');
    }
    return t.toString();
  }

  static String row(Figures f) {
    double stateBytes = 4.0 * f.setup().net().stateFloats();
    return String.format(
        Locale.ROOT,
        "| %d | %d | %s | %,d | %d | %.4f | %.4f | %.4f | %.4f | %.3f | %.2f | %.2f | %.1f | %.2f |",
        f.executors(),
        f.setup().numWorkers(),
        f.setup().net(),
        f.setup().net().stateFloats(),
        f.rounds(),
        f.medianSeconds(),
        f.p90Seconds(),
        f.medianJobSeconds(),
        f.medianSlowestTaskSeconds(),
        f.stepSeconds() * 1e3,
        f.fitThreadBytes() / 1e6,
        f.driverBytes() / 1e6,
        f.driverBytes() / stateBytes,
        f.gcMillis());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** The 1, 5 and 15 minute load averages (Linux), to judge how shared the machine was. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("Expected --name value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory; nothing depends on it being gone.
    }
  }
}
