package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver of a checkpointed fit is killed with SIGKILL; a second fit with the same params
 * resumes from the newest checkpoint and ends with the same weights as an uninterrupted fit, having
 * continued its learning-rate schedule at the right epoch.
 */
class CheckpointResumeTest {
  @TempDir Path tmp;

  @Test
  void killedDriverResumesToTheSameWeights() throws Exception {
    Path dir = tmp.resolve("ckpt");
    Process child = startChild(dir);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (completed(dir) < 3) {
        assertTrue(child.isAlive(), "the child fit ended before it could be killed");
        assertTrue(System.nanoTime() < deadline, "no third checkpoint within 120 s");
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    int before = completed(dir);
    assertTrue(before < CheckpointedFit.EPOCHS, "killed after " + before + " epochs");
    for (Path p : checkpointFolders(dir)) {
      assertTrue(
          Files.exists(p.resolve("state.safetensors"))
              && Files.exists(p.resolve("checkpoint.json")),
          "incomplete " + p);
    }

    MLPModel resumed =
        CheckpointedFit.estimator(dir.toString())
            .fit(SparkTestSession.ordered(CheckpointedFit.data(), 2));
    MLPModel straight =
        CheckpointedFit.estimator(tmp.resolve("fresh").toString())
            .fit(SparkTestSession.ordered(CheckpointedFit.data(), 2));
    assertEquals(CheckpointedFit.EPOCHS, resumed.summary().totalEpochs());
    // It resumed: it trained only the epochs after the newest checkpoint.
    assertEquals(CheckpointedFit.EPOCHS - before, resumed.summary().epochsRun());
    assertEquals(CheckpointedFit.EPOCHS, straight.summary().epochsRun());
    for (int e = 0; e < CheckpointedFit.EPOCHS; e++) {
      assertEquals(
          straight.summary().epochs().get(e).learningRate(),
          resumed.summary().epochs().get(e).learningRate(),
          "epoch " + (e + 1) + " learning rate");
    }
    straight
        .weightArrays()
        .forEach((k, v) -> assertArrayEquals(v, resumed.weightArrays().get(k), k));
  }

  private static Process startChild(Path dir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CheckpointedFit.class.getName());
    cmd.add(dir.toString());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolveSibling("child.log").toFile())
        .start();
  }

  private static List<Path> checkpointFolders(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("epoch-")).toList();
    }
  }

  /** Checkpoints that count: those whose commit marker, written last, exists. */
  private static int completed(Path dir) throws Exception {
    int n = 0;
    for (Path p : checkpointFolders(dir)) {
      n += Files.exists(p.resolve("_COMMITTED")) ? 1 : 0;
    }
    return n;
  }
}
