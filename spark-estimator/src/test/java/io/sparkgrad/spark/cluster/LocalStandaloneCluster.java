package io.sparkgrad.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;

/**
 * A real Spark standalone cluster on this machine: one Master and N Workers, each its own JVM,
 * listening on 127.0.0.1 only. The Workers start executors as further JVMs, exactly as on a
 * cluster, so serialization, class loading and lost executors behave as they do in production.
 *
 * <p>Everything (a stand-in SPARK_HOME, work dirs, logs) lives in one temporary directory that
 * {@link #close()} deletes after killing every process. Set the system property {@code
 * sparkgrad.cluster.keep=true} to keep it for debugging.
 *
 * <pre>{@code
 * try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(2)) {
 *   SparkSession.Builder builder = SparkSession.builder().appName("test");
 *   cluster.driverConf().forEach(builder::config);
 *   ...
 * }
 * }</pre>
 */
public final class LocalStandaloneCluster implements AutoCloseable {
  private static final String LOOPBACK = SparkDaemon.LOOPBACK;
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private final Builder config;
  private final Path root;
  private final Path sparkHome;
  private final Path logDir;
  private final int masterWebUiPort;
  private final List<JvmProcess> workers = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "local-standalone-cluster-close");
  private JvmProcess master;
  private String masterUrl;
  private Path appJar;
  private boolean closed;

  /** Starts a Master and {@code workers} Workers with 1 core and 1g each. */
  public static LocalStandaloneCluster start(int workers) {
    return builder().workers(workers).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sizes of the cluster; {@link #start()} launches it and waits until every Worker is ALIVE. */
  public static final class Builder {
    private int workers = 2;
    private int coresPerWorker = 1;
    private String memoryPerWorker = "1g";
    private Duration startupTimeout = Duration.ofSeconds(90);
    private Predicate<Path> executorJars = jar -> true;

    private Builder() {}

    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    public Builder coresPerWorker(int cores) {
      if (cores < 1) {
        throw new IllegalArgumentException("coresPerWorker must be >= 1, got " + cores);
      }
      this.coresPerWorker = cores;
      return this;
    }

    /**
     * Memory a Worker offers, in Spark's notation ("512m", "2g"); each executor takes all of it.
     */
    public Builder memoryPerWorker(String memory) {
      if (!memory.matches("\\d+[mMgG]")) {
        throw new IllegalArgumentException("memoryPerWorker must look like 512m or 2g: " + memory);
      }
      this.memoryPerWorker = memory;
      return this;
    }

    /** How long to wait for the Master and all Workers to come up (default 90 s). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Which jars of this JVM's class path executors get (through SPARK_HOME/jars); all by default.
     * Leaving the application's own jars out checks that the jar it is submitted with suffices.
     */
    public Builder executorJars(Predicate<Path> include) {
      this.executorJars = include;
      return this;
    }

    public LocalStandaloneCluster start() {
      return new LocalStandaloneCluster(this);
    }
  }

  private LocalStandaloneCluster(Builder config) {
    this.config = config;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      root = Files.createTempDirectory("sparkgrad-cluster-");
      sparkHome = SparkHomeDir.create(root.resolve("spark-home"), config.executorJars);
      logDir = Files.createDirectories(root.resolve("logs"));
      Files.createDirectories(root.resolve("tmp"));
      SparkDaemon.writeLogConfig(root);
      masterWebUiPort = freePort();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("Cannot prepare the cluster's directories", e);
    }
    try {
      long deadline = System.nanoTime() + config.startupTimeout.toNanos();
      startMaster();
      // Workers that find no Master back off for several seconds before retrying, so start
      // them once it is up; its reported URL also covers a port it had to move off.
      awaitWorkers(0, timeLeft(deadline), true);
      for (int i = 0; i < config.workers; i++) {
        workers.add(startWorker(i));
      }
      awaitWorkers(config.workers, timeLeft(deadline), true);
    } catch (IOException | RuntimeException e) {
      String logs = logs();
      System.err.println("Spark standalone cluster failed to start; logs:\n" + logs);
      close();
      throw new IllegalStateException(
          "Spark standalone cluster failed to start within "
              + config.startupTimeout.toSeconds()
              + " s: "
              + e.getMessage()
              + "\n"
              + logs,
          e);
    }
  }

  /** The URL for {@code spark.master}, e.g. {@code spark://127.0.0.1:41234}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The Master's web UI; {@code masterWebUiUrl() + "/json/"} is its state as JSON. */
  public String masterWebUiUrl() {
    return "http://" + LOOPBACK + ":" + masterWebUiPort;
  }

  public int workerCount() {
    return workers.size();
  }

  /** The process ids of the Worker JVMs, by worker index; executors are their child processes. */
  public List<Long> workerPids() {
    return workers.stream().map(JvmProcess::pid).toList();
  }

  /**
   * SIGKILLs Worker {@code i} and its executors, as when a machine dies: no shutdown hooks run. The
   * Master notices at once through the dropped connection; the driver then reschedules the lost
   * tasks on the remaining executors.
   */
  public void killWorker(int i) {
    workers.get(i).killTree(KILL_TIMEOUT);
  }

  /**
   * The index of the Worker that launched executor {@code executorId} of application {@code appId}
   * (the one whose work dir holds {@code <appId>/<executorId>}), for {@link #killWorker}.
   */
  public int workerOf(String appId, String executorId) {
    for (int i = 0; i < workers.size(); i++) {
      if (Files.isDirectory(root.resolve("worker-" + i).resolve(appId).resolve(executorId))) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "No Worker launched executor " + executorId + " of " + appId);
  }

  /** How many Workers the Master currently reports ALIVE. */
  public int aliveWorkers() {
    try {
      return MasterStatus.fetch(masterWebUiPort).aliveWorkers();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Master's state", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  /**
   * Waits until the Master reports exactly {@code count} ALIVE Workers; fails with the processes'
   * logs after {@code timeout}, or at once when the Master dies.
   */
  public void awaitAliveWorkers(int count, Duration timeout) {
    awaitWorkers(count, timeout, false);
  }

  private void awaitWorkers(int count, Duration timeout, boolean starting) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (true) {
      if (!master.isAlive()) {
        throw new IllegalStateException("The Master JVM exited");
      }
      for (JvmProcess worker : workers) {
        if (starting && !worker.isAlive()) {
          throw new IllegalStateException("The JVM of " + worker.name() + " exited");
        }
      }
      try {
        MasterStatus status = MasterStatus.fetch(masterWebUiPort);
        last = status.toString();
        if (status.isAlive() && status.aliveWorkers() == count) {
          masterUrl = status.url();
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the cluster", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Timed out waiting for "
                + count
                + " ALIVE workers at "
                + masterWebUiUrl()
                + "/json/ (last: "
                + last
                + ")");
      }
      sleep(POLL_INTERVAL);
    }
  }

  /**
   * Waits until {@code sc} has one executor per Worker (Spark lists the driver among its executors
   * too); fails with the cluster's logs after {@code timeout}.
   */
  public void awaitExecutors(SparkContext sc, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sc.statusTracker().getExecutorInfos().length < workers.size() + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            workers.size() + " executors did not register within " + timeout + "\n" + logs());
      }
      sleep(POLL_INTERVAL);
    }
  }

  /**
   * Spark settings for a driver in this JVM: the master URL, loopback addresses, executors sized to
   * the Workers, and {@code spark.jars} holding the classes of every directory on the class path
   * (built once; see {@link AppJar#buildFromClassPathDirectories}).
   */
  public Map<String, String> driverConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", masterUrl);
    conf.put("spark.driver.host", LOOPBACK);
    conf.put("spark.driver.bindAddress", LOOPBACK);
    conf.put("spark.jars", appJar().toString());
    conf.put("spark.executor.memory", config.memoryPerWorker);
    conf.put("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    // Parallel test runs would otherwise race for port 4040.
    conf.put("spark.ui.enabled", "false");
    return conf;
  }

  /** The jar of this JVM's class directories that {@link #driverConf()} puts in spark.jars. */
  public synchronized Path appJar() {
    if (appJar == null) {
      try {
        appJar = AppJar.buildFromClassPathDirectories(root.resolve("app.jar"));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot build the application jar", e);
      }
    }
    return appJar;
  }

  /** The directory holding one log file per Master and Worker JVM. */
  public Path logDir() {
    return logDir;
  }

  /**
   * The tail of every log: the Master's, the Workers' and their executors' (the executors' stdout
   * and stderr live in the Workers' work dirs).
   */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (Path log : logFiles()) {
      out.append("===== ").append(root.relativize(log)).append(" =====\n");
      out.append(JvmProcess.tailOf(log)).append('\n');
    }
    return out.toString();
  }

  private List<Path> logFiles() {
    if (root == null || !Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".log") || name.equals("stderr") || name.equals("stdout");
              })
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** Kills every process of the cluster and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
    if (root != null && !Boolean.getBoolean("sparkgrad.cluster.keep")) {
      deleteRecursively(root);
    }
  }

  private void killAll() {
    for (JvmProcess worker : workers) {
      worker.killTree(KILL_TIMEOUT);
    }
    if (master != null) {
      master.killTree(KILL_TIMEOUT);
    }
  }

  private void startMaster() throws IOException {
    int port = freePort();
    masterUrl = "spark://" + LOOPBACK + ":" + port;
    master =
        JvmProcess.start(
            "master",
            SparkDaemon.command(
                root,
                "org.apache.spark.deploy.master.Master",
                "--host",
                LOOPBACK,
                "--port",
                Integer.toString(port),
                "--webui-port",
                Integer.toString(masterWebUiPort)),
            SparkDaemon.environment(sparkHome),
            logDir.resolve("master.log"));
  }

  private JvmProcess startWorker(int i) throws IOException {
    Path workDir = Files.createDirectories(root.resolve("worker-" + i));
    Map<String, String> env = SparkDaemon.environment(sparkHome);
    // Executors' scratch space (shuffle files, cached blocks) stays inside the cluster's root.
    env.put("SPARK_LOCAL_DIRS", Files.createDirectories(workDir.resolve("local")).toString());
    return JvmProcess.start(
        "worker-" + i,
        SparkDaemon.command(
            root,
            "org.apache.spark.deploy.worker.Worker",
            masterUrl,
            "--host",
            LOOPBACK,
            "--port",
            Integer.toString(freePort()),
            "--webui-port",
            Integer.toString(freePort()),
            "--cores",
            Integer.toString(config.coresPerWorker),
            "--memory",
            config.memoryPerWorker,
            "--work-dir",
            workDir.toString()),
        env,
        logDir.resolve("worker-" + i + ".log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static Duration timeLeft(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the cluster", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(LocalStandaloneCluster::deleteQuietly);
      } catch (IOException | UncheckedIOException e) {
        // A file still being written by a dying process; try again.
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Reported by the next attempt's walk, if it persists.
    }
  }
}
