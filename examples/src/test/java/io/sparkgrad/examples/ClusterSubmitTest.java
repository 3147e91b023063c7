package io.sparkgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import io.sparkgrad.spark.cluster.LocalStandaloneCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST example submitted as a user would: {@code spark-submit --master spark://...} of the
 * shaded jar to a real standalone cluster (a Master and two Workers). Neither the driver nor the
 * executors have sparkgrad on their class path: everything comes from the submitted jar. Run by
 * failsafe, after the package phase has built that jar.
 */
class ClusterSubmitTest {
  static final Path JAR =
      Path.of(
          System.getProperty(
              "sparkgrad.examples.shaded.jar", "target/sparkgrad-examples-0.1.0-SNAPSHOT.jar"));
  static final Pattern ACCURACY = Pattern.compile("Test accuracy (\\d+\\.\\d+)%");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void mnistSubmittedToAStandaloneClusterLearnsAndSavesItsModel() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "no shaded jar at " + JAR.toAbsolutePath());
    Path out = tmp.resolve("mnist");
    Path log = tmp.resolve("spark-submit.log");
    try (LocalStandaloneCluster cluster =
        LocalStandaloneCluster.builder()
            .workers(2)
            .memoryPerWorker("2g")
            .executorJars(ClusterSubmitTest::isLibrary)
            .start()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // What Spark's launcher adds to the JVMs it starts (module options).
      for (String arg : System.getProperty("sparkgrad.jvm.args", "").split("\\s+")) {
        if (!arg.isEmpty()) {
          command.add(arg);
        }
      }
      command.addAll(List.of("-Xmx2g", "-cp", libraryClassPath()));
      command.add("org.apache.spark.deploy.SparkSubmit");
      command.addAll(List.of("--master", cluster.masterUrl()));
      command.addAll(List.of("--class", Mnist.class.getName()));
      // Loopback addresses, executor sizes and spark.executorEnv.OPENBLAS_NUM_THREADS=1; the
      // application jar is the shaded one.
      for (Map.Entry<String, String> conf : cluster.driverConf().entrySet()) {
        if (!conf.getKey().equals("spark.master") && !conf.getKey().equals("spark.jars")) {
          command.addAll(List.of("--conf", conf.getKey() + "=" + conf.getValue()));
        }
      }
      command.add(JAR.toAbsolutePath().toString());
      command.addAll(
          List.of(
              "--data",
              TestData.mnist().toString(),
              "--epochs",
              "1",
              "--partitions",
              "2",
              "--output",
              out.toString()));
      ProcessBuilder submit =
          new ProcessBuilder(command)
              .directory(tmp.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      submit.environment().keySet().removeIf(name -> name.startsWith("SPARK_"));
      submit.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      submit.environment().put("OPENBLAS_NUM_THREADS", "1");
      Process driver = submit.start();
      try {
        boolean exited = driver.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(log);
        assertTrue(exited, "spark-submit still running after 5 minutes:\n" + output);
        assertEquals(0, driver.exitValue(), "spark-submit failed:\n" + output);
        Matcher accuracy = ACCURACY.matcher(output);
        assertTrue(accuracy.find(), "no test accuracy in the output:\n" + output);
        System.out.println("spark-submit: " + accuracy.group());
        double percent = Double.parseDouble(accuracy.group(1));
        // PyTorch's recipe gives ~88-90% after one epoch.
        assertTrue(percent >= 85, "test accuracy after one epoch: " + percent + "%");
        assertTrue(Files.size(out.resolve("data/weights.safetensors")) > 500_000);
        assertTrue(Files.isRegularFile(out.resolve("data/architecture.json")));
        assertTrue(Files.isDirectory(out.resolve("metadata")));
        assertTrue(Files.size(out.resolve("learning-curve.png")) > 1000);
      } catch (Throwable failure) {
        System.err.println("Logs of the cluster's JVMs:\n" + cluster.logs());
        throw failure;
      } finally {
        driver.destroyForcibly();
        driver.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Spark and the other libraries on this class path, as in a Spark distribution's jars/. */
  private static boolean isLibrary(Path entry) {
    return entry.getFileName().toString().endsWith(".jar")
        && !entry.getFileName().toString().startsWith("sparkgrad-");
  }

  private static String libraryClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> Files.isRegularFile(p) && isLibrary(p))
        .map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }
}
