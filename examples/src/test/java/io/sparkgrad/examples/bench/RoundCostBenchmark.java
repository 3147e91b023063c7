package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
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
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
 *     -Dsparkgrad.bench.roundCost="--clusters 1,2,4 --extra-workers 8,16"
 * </pre>
 *
 * Options (defaults in brackets): {@code --clusters} Worker counts, one cluster each, numWorkers =
 * Workers [1,2,4]; {@code --nets} [10k,mnist,2.5M; none to skip]; {@code --epochs} per fit, rounds
 * measured = epochs - 1 [31]; {@code --repeats} fits per setup, the setups taken in turn [2];
 * {@code --rows-per-worker} [4]; {@code --warm-up-epochs} of the 10k net on each cluster before
 * measuring: the executors' JIT needs about 200 rounds to settle [200]; {@code --extra-workers}
 * numWorkers values also run on the largest cluster, more tasks than cores, to reach the tree's
 * shuffle levels above 8 workers [none]; {@code --empty-jobs} task counts of jobs of empty tasks
 * timed on the largest cluster, scheduling alone [4,16,64,256; none to skip]; {@code --memory} per
 * Worker [1g]; {@code --trace true} prints every round's time; {@code --out} a file for the tables
 * [target/round-cost.md].
 */
public final class RoundCostBenchmark {
  private RoundCostBenchmark() {}

  /** A net whose state is its weights and biases (sgd without momentum keeps no buffers). */
  public record Net(String name, int[] layers) {
    public long stateFloats() {
      return new MlpSpec(layers, "relu", "cross_entropy").parameterCount();
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
   * What fits measured, per round (the first epoch of each fit left out); several fits of one setup
   * pool into one.
   *
   * @param executors the cluster's Workers (one single-core executor each)
   * @param roundsPerEpoch Spark jobs per epoch (1 here by construction; checked)
   * @param roundSeconds wall seconds of each measured round (epoch seconds / rounds per epoch)
   * @param jobSeconds per round, from its job's start to its end (Spark's event times)
   * @param slowestTask per round, the seconds of its slowest task
   * @param taskDeserialize per round, that task's deserialization seconds (closure, task binary)
   * @param taskRun per round, that task's run seconds (state broadcast read, step, result written)
   * @param taskGc per round, that task's executor GC seconds
   * @param taskCpu per round, the CPU seconds of the slowest-by-CPU task of each of its stages,
   *     summed over the stages: the executors' critical path if every task had a core of its own
   * @param stepSeconds one training step on one worker's rows, timed in the driver's JVM: the
   *     compute part of a round
   * @param allocRounds the rounds the allocation totals span
   * @param fitThreadBytes heap bytes the fitting thread allocated over those rounds
   * @param driverBytes heap bytes all the driver's threads allocated over those rounds
   * @param gcMillis driver GC milliseconds over those rounds
   * @param fitThreadCpu CPU seconds of the fitting thread over those rounds
   * @param driverCpu CPU seconds of all the driver's Java threads over those rounds (not the JIT
   *     compiler's or the garbage collector's)
   */
  public record Figures(
      int executors,
      Setup setup,
      double roundsPerEpoch,
      double[] roundSeconds,
      double[] jobSeconds,
      double[] slowestTask,
      double[] taskDeserialize,
      double[] taskRun,
      double[] taskGc,
      double[] taskCpu,
      double stepSeconds,
      double allocRounds,
      double fitThreadBytes,
      double driverBytes,
      double gcMillis,
      double fitThreadCpu,
      double driverCpu) {

    public int rounds() {
      return roundSeconds.length;
    }

    public double median() {
      return quantile(roundSeconds, 0.5);
    }

    public double p90() {
      return quantile(roundSeconds, 0.9);
    }

    public double fitThreadBytesPerRound() {
      return fitThreadBytes / allocRounds;
    }

    public double driverBytesPerRound() {
      return driverBytes / allocRounds;
    }

    public double gcMillisPerRound() {
      return gcMillis / allocRounds;
    }

    public double fitThreadCpuPerRound() {
      return fitThreadCpu / allocRounds;
    }

    public double driverCpuPerRound() {
      return driverCpu / allocRounds;
    }

    /**
     * A round's seconds on an idle machine with a core per worker, estimated from CPU times: the
     * driver threads' CPU and GC time per round plus the executors' critical path (median over
     * rounds). It leaves out network transfer and RPC latency, which on this machine's loopback are
     * small.
     */
    public double cpuEstimate() {
      return driverCpuPerRound() + gcMillisPerRound() / 1e3 + quantile(taskCpu, 0.5);
    }

    /** Per round, the seconds the driver spent outside the round's job. */
    double[] outsideJob() {
      double[] d = new double[roundSeconds.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = roundSeconds[i] - jobSeconds[i];
      }
      return d;
    }

    /** Per round, the job's seconds beyond its slowest task: scheduling and result return. */
    double[] jobBeyondSlowestTask() {
      double[] d = new double[jobSeconds.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = jobSeconds[i] - slowestTask[i];
      }
      return d;
    }

    /** The figures that must be finite and non-negative. */
    List<Double> numbers() {
      return List.of(
          roundsPerEpoch,
          median(),
          p90(),
          quantile(jobSeconds, 0.5),
          quantile(slowestTask, 0.5),
          quantile(taskDeserialize, 0.5),
          quantile(taskRun, 0.5),
          quantile(taskGc, 0.5),
          quantile(taskCpu, 0.5),
          stepSeconds,
          fitThreadBytesPerRound(),
          driverBytesPerRound(),
          gcMillisPerRound(),
          fitThreadCpuPerRound(),
          driverCpuPerRound());
    }

    /** Several fits of one setup on one cluster as one: rounds pooled, allocations summed. */
    static Figures pool(List<Figures> fits) {
      Figures f = fits.get(0);
      return new Figures(
          f.executors,
          f.setup,
          fits.stream().mapToDouble(Figures::roundsPerEpoch).average().orElseThrow(),
          concat(fits, Figures::roundSeconds),
          concat(fits, Figures::jobSeconds),
          concat(fits, Figures::slowestTask),
          concat(fits, Figures::taskDeserialize),
          concat(fits, Figures::taskRun),
          concat(fits, Figures::taskGc),
          concat(fits, Figures::taskCpu),
          quantile(fits.stream().mapToDouble(Figures::stepSeconds).toArray(), 0.5),
          fits.stream().mapToDouble(Figures::allocRounds).sum(),
          fits.stream().mapToDouble(Figures::fitThreadBytes).sum(),
          fits.stream().mapToDouble(Figures::driverBytes).sum(),
          fits.stream().mapToDouble(Figures::gcMillis).sum(),
          fits.stream().mapToDouble(Figures::fitThreadCpu).sum(),
          fits.stream().mapToDouble(Figures::driverCpu).sum());
    }

    private static double[] concat(
        List<Figures> fits, java.util.function.Function<Figures, double[]> field) {
      return fits.stream().flatMapToDouble(f -> Arrays.stream(field.apply(f))).toArray();
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> o = options(args);
    int[] clusters = ints(o.getOrDefault("clusters", "1,2,4"));
    List<Net> nets = new ArrayList<>();
    String netNames = o.getOrDefault("nets", "10k,mnist,2.5M");
    for (String name : netNames.equals("none") ? new String[0] : netNames.split(",")) {
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

    int repeats = Integer.parseInt(o.getOrDefault("repeats", "2"));
    int warmUpEpochs = Integer.parseInt(o.getOrDefault("warm-up-epochs", "200"));
    boolean trace = Boolean.parseBoolean(o.getOrDefault("trace", "false"));
    String empty = o.getOrDefault("empty-jobs", "4,16,64,256");
    int[] emptyJobTasks = empty.isBlank() || empty.equals("none") ? new int[0] : ints(empty);
    List<EmptyJobs> emptyJobs = new ArrayList<>();
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
          warmUp(spark, w, warmUpEpochs);
          System.out.printf("  warmed up after %.1f s%n", seconds(t0));
          // The setups in turn, the whole list again for each repeat, so that a slow spell of
          // the machine does not fall on one setup only.
          Map<Setup, List<Figures>> fits = new LinkedHashMap<>();
          for (int r = 0; r < repeats; r++) {
            for (Setup s : setups) {
              Figures f = measure(spark, w, s);
              fits.computeIfAbsent(s, k -> new ArrayList<>()).add(f);
              System.out.printf(
                  "%s  (fit %d; CPU estimate %.4f s; after %.1f s; load average %s)%n",
                  row(f), r + 1, f.cpuEstimate(), seconds(t0), loadAverage());
              if (trace) {
                System.out.println("  ms per round: " + millis(f.roundSeconds()));
                System.out.println("  ms slowest task: " + millis(f.slowestTask()));
              }
            }
          }
          fits.values().forEach(f -> all.add(Figures.pool(f)));
          if (w == largest) {
            for (int tasks : emptyJobTasks) {
              EmptyJobs e = emptyJobs(spark, tasks, 20);
              emptyJobs.add(e);
              System.out.printf(
                  "  empty job of %d tasks: %.1f ms, driver CPU %.1f ms (load average %s)%n",
                  tasks, e.millis(), e.driverCpuMillis(), loadAverage());
            }
          }
        } catch (RuntimeException | Error e) {
          System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
          throw e;
        } finally {
          spark.stop();
        }
      }
    }
    String table = table(all, rowsPerWorker, epochs, repeats) + emptyJobTable(largest, emptyJobs);
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

  /** A fit that loads and compiles the round's code on the driver and every executor. */
  public static void warmUp(SparkSession spark, int numWorkers, int epochs) {
    measure(spark, numWorkers, new Setup(numWorkers, NETS.get("10k"), epochs, 4));
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
    if (Boolean.getBoolean("sparkgrad.bench.roundCost.threads")) {
      System.out.println("  driver CPU ms per round by thread: " + probe.cpuByThread(s));
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
    LocalTrainer t =
        StepBenchmark.trainerOnRandomRows(
            new MlpSpec(s.net().layers(), "relu", "cross_entropy"),
            new OptimizerSpec("sgd", 0.001, 0, false, 0),
            s.rowsPerWorker(),
            s.rowsPerWorker());
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
   * jobs' and their slowest tasks' times. Runs on Spark's listener bus thread.
   */
  static final class RoundProbe extends SparkListener {
    private static final String EPOCH_JOB = "sparkgrad fit: epoch ";

    private final long fitThread;
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    // Per-thread allocation and CPU at the last sample, so threads that end do not lower the
    // totals.
    private final Map<Long, Long> lastBytes = new HashMap<>();
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private long driverBytes;
    private long driverCpu;
    // CPU nanoseconds by thread name (digits dropped) from epoch 2's first job on.
    private final Map<String, Long> cpuByThreadName = new TreeMap<>();

    /** Per epoch (1-based): the sample at its first job's start. */
    private final TreeMap<Integer, Sample> firstSample = new TreeMap<>();

    private final Map<Integer, Integer> jobsPerEpoch = new HashMap<>();
    private final Map<Integer, Integer> epochOfJob = new HashMap<>();
    private final Map<Integer, Long> jobStart = new HashMap<>();
    private final Map<Integer, Long> jobMillis = new HashMap<>();
    private final Map<Integer, Integer> jobOfStage = new HashMap<>();
    private final Map<Integer, Task> slowestTask = new HashMap<>();
    // Per job, per stage: the most CPU nanoseconds a task of the stage took.
    private final Map<Integer, Map<Integer, Long>> stageCpu = new HashMap<>();

    record Sample(
        long fitThreadBytes, long driverBytes, long gcMillis, long fitThreadCpu, long driverCpu) {}

    /** A task's duration and, from its metrics, deserialization, run and GC milliseconds. */
    record Task(long millis, long deserializeMillis, long runMillis, long gcMillis) {}

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
      for (Object stage : scala.collection.JavaConverters.seqAsJavaList(e.stageIds())) {
        jobOfStage.put((Integer) stage, e.jobId());
      }
      if (!firstSample.containsKey(epoch)) {
        firstSample.put(epoch, sample(epoch > 2));
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
      if (job == null || e.taskMetrics() == null) {
        return;
      }
      Task t =
          new Task(
              e.taskInfo().duration(),
              e.taskMetrics().executorDeserializeTime(),
              e.taskMetrics().executorRunTime(),
              e.taskMetrics().jvmGCTime());
      slowestTask.merge(job, t, (a, b) -> a.millis() >= b.millis() ? a : b);
      long cpu = e.taskMetrics().executorCpuTime() + e.taskMetrics().executorDeserializeCpuTime();
      stageCpu.computeIfAbsent(job, k -> new HashMap<>()).merge(e.stageId(), cpu, Math::max);
    }

    private Sample sample(boolean measured) {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      long[] cpu = threads.getThreadCpuTime(ids);
      java.lang.management.ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
      long fitBytes = 0;
      long fitCpu = 0;
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] < 0 || cpu[i] < 0) {
          continue; // the thread ended meanwhile
        }
        driverBytes += bytes[i] - lastBytes.getOrDefault(ids[i], 0L);
        lastBytes.put(ids[i], bytes[i]);
        long cpuDelta = cpu[i] - lastCpu.getOrDefault(ids[i], 0L);
        driverCpu += cpuDelta;
        lastCpu.put(ids[i], cpu[i]);
        if (measured && infos[i] != null) {
          cpuByThreadName.merge(
              infos[i].getThreadName().replaceAll("\\d+", "N"), cpuDelta, Long::sum);
        }
        if (ids[i] == fitThread) {
          fitBytes = bytes[i];
          fitCpu = cpu[i];
        }
      }
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : gcs) {
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      return new Sample(fitBytes, driverBytes, gcMillis, fitCpu, driverCpu);
    }

    /** The driver threads' CPU milliseconds per measured round, by thread name, largest first. */
    synchronized String cpuByThread(Setup s) {
      double rounds = s.epochs() - 2;
      StringBuilder b = new StringBuilder();
      cpuByThreadName.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(10)
          .forEach(
              e ->
                  b.append(
                      String.format(
                          Locale.ROOT, "%s %.1f; ", e.getKey(), e.getValue() / 1e6 / rounds)));
      return b.toString();
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
      // Epoch 1 is warm-up. Per measured epoch: its seconds and its jobs' and slowest tasks'.
      int n = e - 1;
      double[] round = new double[n];
      double[] job = new double[n];
      double[] task = new double[n];
      double[] deserialize = new double[n];
      double[] run = new double[n];
      double[] gc = new double[n];
      double[] cpu = new double[n];
      for (int i = 0; i < n; i++) {
        round[i] = epochs.get(i + 1).seconds() / roundsPerEpoch;
      }
      jobMillis.forEach(
          (id, ms) -> {
            int i = epochOfJob.get(id) - 2;
            if (i >= 0) {
              Task t = slowestTask.getOrDefault(id, new Task(0, 0, 0, 0));
              job[i] += ms / 1e3 / roundsPerEpoch;
              task[i] += t.millis() / 1e3 / roundsPerEpoch;
              deserialize[i] += t.deserializeMillis() / 1e3 / roundsPerEpoch;
              run[i] += t.runMillis() / 1e3 / roundsPerEpoch;
              gc[i] += t.gcMillis() / 1e3 / roundsPerEpoch;
              for (long ns : stageCpu.getOrDefault(id, Map.of()).values()) {
                cpu[i] += ns / 1e9 / roundsPerEpoch;
              }
            }
          });
      // Allocations from epoch 2's first job to epoch e's: e - 2 epochs.
      Sample from = firstSample.get(2);
      Sample to = firstSample.get(e);
      return new Figures(
          executors,
          s,
          roundsPerEpoch,
          round,
          job,
          task,
          deserialize,
          run,
          gc,
          cpu,
          stepSeconds,
          (e - 2) * roundsPerEpoch,
          to.fitThreadBytes() - from.fitThreadBytes(),
          to.driverBytes() - from.driverBytes(),
          to.gcMillis() - from.gcMillis(),
          (to.fitThreadCpu() - from.fitThreadCpu()) / 1e9,
          (to.driverCpu() - from.driverCpu()) / 1e9);
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

  static String table(List<Figures> all, int rowsPerWorker, int epochs, int repeats) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "Round cost: %d fit(s) of %d one-round epochs per row (the first epoch of each left"
                + " out), %d rows per worker, syncInterval 1, sgd without momentum.%n%n",
            repeats,
            epochs,
            rowsPerWorker));
    t.append(
        "| Workers (1 core each) | numWorkers | net | state floats | rounds | median s/round"
            + " | p90 s/round | compute: step ms | driver MB/round, fit thread"
            + " | driver MB/round, all threads | all threads / state bytes"
            + " | driver GC ms/round |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : all) {
      t.append(row(f)).append('\n');
    }
    t.append(
        String.format(
            "%nWhere a round's time goes (medians over rounds, ms): outside the job on the driver"
                + " (broadcast written, results merged); the job from Spark's start to end event;"
                + " its slowest task, and that task's deserialization, run and executor GC; the"
                + " job beyond its slowest task (scheduling, launching, returning results).%n%n"));
    t.append(
        "| Workers | numWorkers | net | round | outside the job | job | slowest task"
            + " | task deserialize | task run | task GC | job beyond slowest task |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : all) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
              f.executors(),
              f.setup().numWorkers(),
              f.setup().net().name(),
              1e3 * f.median(),
              1e3 * quantile(f.outsideJob(), 0.5),
              1e3 * quantile(f.jobSeconds(), 0.5),
              1e3 * quantile(f.slowestTask(), 0.5),
              1e3 * quantile(f.taskDeserialize(), 0.5),
              1e3 * quantile(f.taskRun(), 0.5),
              1e3 * quantile(f.taskGc(), 0.5),
              1e3 * quantile(f.jobBeyondSlowestTask(), 0.5)));
    }
    t.append(
        String.format(
            "%nCPU per round (ms), which a shared machine's load does not inflate the way it"
                + " inflates wall time: the fitting thread's, all the driver's Java threads' (JIT"
                + " and GC threads not included), the driver's GC time, the executors' critical"
                + " path (per stage the task with the most CPU, summed over stages; median over"
                + " rounds), and the sum of the last three: an estimate of the round on an idle"
                + " machine with a core per worker, network transfer and RPC latency left"
                + " out.%n%n"));
    t.append(
        "| Workers | numWorkers | net | measured round | driver CPU, fit thread"
            + " | driver CPU, all threads | driver GC | task critical path CPU"
            + " | CPU estimate of the round |\n");
    t.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : all) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
              f.executors(),
              f.setup().numWorkers(),
              f.setup().net().name(),
              1e3 * f.median(),
              1e3 * f.fitThreadCpuPerRound(),
              1e3 * f.driverCpuPerRound(),
              f.gcMillisPerRound(),
              1e3 * quantile(f.taskCpu(), 0.5),
              1e3 * f.cpuEstimate()));
    }
    return t.toString();
  }

  /**
   * Jobs of {@code tasks} tasks that do nothing: Spark's scheduling, task launch and completion
   * alone.
   *
   * @param millis median wall milliseconds of a job
   * @param driverCpuMillis CPU milliseconds of all the driver's Java threads per job (mean)
   */
  public record EmptyJobs(int tasks, double millis, double driverCpuMillis) {}

  /** {@code jobs} jobs of {@code tasks} empty tasks, measured after as many unmeasured. */
  static EmptyJobs emptyJobs(SparkSession spark, int tasks, int jobs) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Integer> rdd = sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks);
    double[] ms = new double[jobs];
    Map<Long, Long> cpuBefore = new HashMap<>();
    for (int i = -jobs; i < jobs; i++) {
      if (i == 0) {
        cpuBefore = threadCpu();
      }
      long t0 = System.nanoTime();
      rdd.foreachPartition(it -> {});
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    long cpu = 0;
    for (Map.Entry<Long, Long> t : threadCpu().entrySet()) {
      cpu += t.getValue() - cpuBefore.getOrDefault(t.getKey(), 0L);
    }
    return new EmptyJobs(tasks, quantile(ms, 0.5), cpu / 1e6 / jobs);
  }

  /** CPU nanoseconds of every live Java thread of this JVM, by thread id. */
  private static Map<Long, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long ns = mx.getThreadCpuTime(id);
      if (ns >= 0) {
        cpu.put(id, ns);
      }
    }
    return cpu;
  }

  static String emptyJobTable(int executors, List<EmptyJobs> emptyJobs) {
    if (emptyJobs.isEmpty()) {
      return "";
    }
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "%nScheduling alone: jobs of empty tasks on the %d-Worker cluster (20 jobs after 20"
                + " unmeasured): median wall ms per job, and the driver's Java threads' CPU ms per"
                + " job.%n%n| tasks | ms per job | driver CPU ms per job |%n|---|---|---|%n",
            executors));
    for (EmptyJobs e : emptyJobs) {
      t.append(
          String.format(
              Locale.ROOT, "| %d | %.1f | %.1f |%n", e.tasks(), e.millis(), e.driverCpuMillis()));
    }
    return t.toString();
  }

  static String row(Figures f) {
    double stateBytes = 4.0 * f.setup().net().stateFloats();
    return String.format(
        Locale.ROOT,
        "| %d | %d | %s | %,d | %d | %.4f | %.4f | %.3f | %.2f | %.2f | %.1f | %.2f |",
        f.executors(),
        f.setup().numWorkers(),
        f.setup().net(),
        f.setup().net().stateFloats(),
        f.rounds(),
        f.median(),
        f.p90(),
        f.stepSeconds() * 1e3,
        f.fitThreadBytesPerRound() / 1e6,
        f.driverBytesPerRound() / 1e6,
        f.driverBytesPerRound() / stateBytes,
        f.gcMillisPerRound());
  }

  private static String millis(double[] seconds) {
    StringBuilder b = new StringBuilder();
    for (double x : seconds) {
      b.append(String.format(Locale.ROOT, "%.0f ", 1e3 * x));
    }
    return b.toString().strip();
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
