package io.sparkgrad.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How a Master or Worker JVM of a {@link LocalStandaloneCluster} is launched. */
final class SparkDaemon {
  static final String LOOPBACK = "127.0.0.1";
  private static final String LOG_CONFIG = "log4j2-daemons.properties";

  private SparkDaemon() {}

  /** {@code java ... -cp <this JVM's class path> mainClass args}, with files under root. */
  static List<String> command(Path root, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // Master and Workers only pass messages: C1 and the serial collector start them faster and
    // leave the cores to the executors.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    // INFO logs of their own, whatever log4j2 configuration the test class path holds.
    command.add("-Dlog4j.configurationFile=" + root.resolve(LOG_CONFIG));
    command.add("-Djava.io.tmpdir=" + root.resolve("tmp"));
    // Off by default in recent Sparks; stated so that parallel clusters never race for port 6066.
    command.add("-Dspark.master.rest.enabled=false");
    command.add("-cp");
    command.add(ClassPath.asString());
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** The environment of a daemon; Workers pass it on to the executors they start. */
  static Map<String, String> environment(Path sparkHome) {
    Map<String, String> env = new HashMap<>(System.getenv());
    // A developer's own Spark settings must not leak into the test cluster.
    env.keySet().removeIf(name -> name.startsWith("SPARK_") || name.startsWith("PYSPARK_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // Workers build each executor's class path from SPARK_HOME/jars.
    env.put("SPARK_HOME", sparkHome.toString());
    // Spark's launcher library otherwise infers the Scala version from a source checkout's
    // build directories and fails with "Cannot find any build directories".
    env.put("SPARK_SCALA_VERSION", "2.13");
    // RPC endpoints, block managers and web UIs of daemons and executors bind to loopback only.
    env.put("SPARK_LOCAL_IP", LOOPBACK);
    // One BLAS thread per task: the cores are already shared among the executors' tasks.
    env.put("OPENBLAS_NUM_THREADS", "1");
    return env;
  }

  /** Writes the daemons' log4j2 configuration (INFO to the console, i.e. the log file). */
  static void writeLogConfig(Path root) throws IOException {
    Files.writeString(
        root.resolve(LOG_CONFIG),
        String.join(
            "\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
            ""));
  }
}
