package io.sparkgrad.engine.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every GEMM path against one naive float64 product: the facade (which routes tiny shapes to the
 * Java loop and the rest to netlib), the Java loop alone on every shape, and, in a forked JVM, the
 * facade with {@code -Dsparkgrad.blas=java}.
 */
class BlasTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void facadeMatchesTheReferenceOnBothSidesOfTheThreshold(long seed) {
    assertTrue(GemmCases.runAll(Blas::gemm, seed) > 100);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void javaLoopMatchesTheReferenceOnEveryShape(long seed) {
    assertTrue(GemmCases.runAll(SmallGemm::gemm, seed) > 100);
  }

  @Test
  void backendIsNamed() {
    String backend = Blas.backend();
    assertTrue(
        List.of("JNIBLAS", "VectorBLAS", "Java11BLAS", "Java8BLAS").contains(backend), backend);
    assertEquals(backend.equals("JNIBLAS"), Blas.isNative());
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyWork() {
    float[] a = new float[6];
    float[] b = new float[6];
    float[] c = new float[4];
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> Blas.gemm(false, false, -1, 2, 3, 1f, a, 0, b, 0, 0f, c, 0));
    assertTrue(negative.getMessage().contains("m=-1"), negative.getMessage());
    IllegalArgumentException shortA =
        assertThrows(
            IllegalArgumentException.class,
            () -> Blas.gemm(false, false, 2, 2, 3, 1f, a, 1, b, 0, 0f, c, 0));
    assertTrue(shortA.getMessage().contains("operand A needs 6"), shortA.getMessage());
    IllegalArgumentException shortC =
        assertThrows(
            IllegalArgumentException.class,
            () -> Blas.gemm(false, false, 2, 3, 3, 1f, new float[6], 0, new float[9], 0, 0f, c, 0));
    assertTrue(shortC.getMessage().contains("operand C"), shortC.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 2, 2, 2, 1f, c, 0, b, 0, 0f, c, 0),
        "C aliasing A");
  }

  private static Process fork(String blasProperty) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-modules")) {
        cmd.add(arg);
      }
    }
    cmd.add("-Dsparkgrad.blas=" + blasProperty);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(GemmCheckMain.class.getName());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String run(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "forked JVM did not finish");
    return out;
  }

  @Test
  void javaBackendInAForkedJvmMatchesTheReference() throws Exception {
    Process p = fork("java");
    String out = run(p);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("backend="), out);
    assertNotEquals("JNIBLAS", out.replaceAll("(?s).*backend=(\\w+).*", "$1"), out);
  }

  @Test
  void unknownBackendIsRefusedWithTheFix() throws Exception {
    Process p = fork("fortran");
    String out = run(p);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains("sparkgrad.blas=fortran is not supported"), out);
    assertTrue(out.contains("use auto"), out);
  }
}
