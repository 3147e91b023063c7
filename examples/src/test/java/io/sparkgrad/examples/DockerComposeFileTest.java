package io.sparkgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker daemon), so this checks that it agrees with the
 * build: the Spark version of the image, the jar the build writes, and the example class.
 */
class DockerComposeFileTest {
  private static final String MASTER_URL = "spark://master:7077";
  private static final String EXAMPLE_CLASS = "io.sparkgrad.examples.Mnist";

  private static Map<String, Object> services;

  @BeforeAll
  static void parse() throws IOException {
    try (Reader in = Files.newBufferedReader(repoDir().resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(in);
      services = map(compose.get("services"));
    }
  }

  @Test
  void hasAMasterTwoWorkersAndASubmitJob() {
    assertTrue(services.keySet().containsAll(List.of("master", "worker-1", "worker-2", "submit")));
    assertEquals(
        List.of("/opt/spark/bin/spark-class", "org.apache.spark.deploy.master.Master"),
        command("master").subList(0, 2));
    for (String worker : List.of("worker-1", "worker-2")) {
      List<String> command = command(worker);
      assertEquals(
          List.of(
              "/opt/spark/bin/spark-class", "org.apache.spark.deploy.worker.Worker", MASTER_URL),
          command.subList(0, 3),
          worker);
      assertEquals(List.of("--host", worker), after(command, "--host", 1), worker);
    }
    assertEquals(List.of("--master", MASTER_URL), after(command("submit"), "--master", 1));
  }

  @Test
  void everySparkServiceRunsTheImageOfThePomsSparkVersion() {
    String sparkVersion = requiredProperty("sparkgrad.spark.version");
    for (String name : services.keySet()) {
      assertEquals("apache/spark:" + sparkVersion, service(name).get("image"), name);
    }
  }

  @Test
  void submitRunsTheMnistExampleFromTheJarTheBuildWrites() throws Exception {
    String jarName = requiredProperty("sparkgrad.examples.jar");
    List<String> command = command("submit");
    assertEquals("/opt/spark/bin/spark-submit", command.get(0));
    assertEquals(List.of("--class", EXAMPLE_CLASS), after(command, "--class", 1));
    Method main = Class.forName(EXAMPLE_CLASS).getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()));

    String jarMount = "./examples/target/" + jarName + ":/opt/sparkgrad/" + jarName + ":ro";
    assertTrue(volumes("submit").contains(jarMount), "submit mounts " + volumes("submit"));
    String jarInContainer = "/opt/sparkgrad/" + jarName;
    int jarAt = command.indexOf(jarInContainer);
    assertTrue(jarAt > 0, "spark-submit should run " + jarInContainer + ": " + command);
    List<String> appArgs = command.subList(jarAt + 1, command.size());
    assertEquals(List.of("--data", "/data/mnist"), after(appArgs, "--data", 1));
    assertEquals(List.of("--output", "/models/mnist"), after(appArgs, "--output", 1));
  }

  @Test
  void theDataIsMountedReadOnlyAndTheModelsVolumeIsShared() {
    for (String name : List.of("submit", "worker-1", "worker-2")) {
      assertTrue(volumes(name).contains("${MNIST_DIR:-./data/mnist}:/data/mnist:ro"), name);
      assertTrue(volumes(name).contains("models:/models"), name);
    }
  }

  @Test
  void oneBlasThreadPerTask() {
    for (String name : List.of("master", "worker-1", "worker-2", "submit")) {
      assertEquals("1", String.valueOf(environment(name).get("OPENBLAS_NUM_THREADS")), name);
    }
    assertEquals(
        List.of("--conf", "spark.executorEnv.OPENBLAS_NUM_THREADS=1"),
        after(command("submit"), "spark.executorEnv.OPENBLAS_NUM_THREADS=1", -1));
  }

  @Test
  void publishedPortsListenOnLoopbackOnly() {
    int published = 0;
    for (String name : services.keySet()) {
      for (Object port : list(service(name).getOrDefault("ports", List.of()))) {
        assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), name + " publishes " + port);
        published++;
      }
    }
    assertTrue(published >= 4, "the web UIs of master, workers and driver are published");
  }

  private static Map<String, Object> service(String name) {
    Map<String, Object> service = map(services.get(name));
    assertNotNull(service, "no service " + name);
    return service;
  }

  private static List<String> command(String name) {
    List<String> command = new ArrayList<>();
    for (Object part : list(service(name).get("command"))) {
      command.add(String.valueOf(part));
    }
    return command;
  }

  private static List<Object> volumes(String name) {
    return list(service(name).get("volumes"));
  }

  private static Map<String, Object> environment(String name) {
    Object env = service(name).get("environment");
    if (env instanceof List<?> entries) {
      Map<String, Object> asMap = new LinkedHashMap<>();
      for (Object entry : entries) {
        String[] kv = String.valueOf(entry).split("=", 2);
        asMap.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
      return asMap;
    }
    return map(env);
  }

  /** {@code count} items from {@code token} on (negative: that many before it, then it). */
  private static List<String> after(List<String> command, String token, int count) {
    int at = command.indexOf(token);
    assertTrue(at >= 0, token + " is missing from " + command);
    int from = count >= 0 ? at : at + count;
    int to = count >= 0 ? at + count + 1 : at + 1;
    assertTrue(from >= 0 && to <= command.size(), token + " lacks its value in " + command);
    return command.subList(from, to);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertNotNull(o);
    return (List<Object>) o;
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    assertNotNull(value, "system property " + name + " is set by examples/pom.xml's surefire");
    return value;
  }

  /** The repository root: Maven's project directory, else the parent of the module. */
  private static Path repoDir() {
    for (String dir :
        new String[] {
          System.getProperty("sparkgrad.repo.dir"), "..", System.getProperty("user.dir")
        }) {
      if (dir != null && Files.isRegularFile(Path.of(dir, "docker-compose.yml"))) {
        return Path.of(dir);
      }
    }
    throw new AssertionError("docker-compose.yml not found from " + System.getProperty("user.dir"));
  }
}
