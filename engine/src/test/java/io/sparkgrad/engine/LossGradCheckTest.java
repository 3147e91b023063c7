package io.sparkgrad.engine;

import static io.sparkgrad.engine.GradCheck.size;
import static io.sparkgrad.engine.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.nn.BCELoss;
import io.sparkgrad.engine.nn.BCEWithLogitsLoss;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.MSELoss;
import io.sparkgrad.engine.nn.NLLLoss;
import io.sparkgrad.engine.ops.Reduction;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss in every reduction against a float64 reference. For "none" the output is a vector and
 * the check back-propagates a random upstream gradient; for "mean" and "sum" a random scalar one.
 */
class LossGradCheckTest {

  static Stream<Arguments> reductionsAndSeeds() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Reduction r : Reduction.values()) {
      for (long seed = 1; seed <= 4; seed++) {
        b.add(Arguments.of(r, seed));
      }
    }
    return b.build();
  }

  private static String name(Reduction r) {
    return r.name().toLowerCase(Locale.ROOT);
  }

  /** Binary targets: hard 0 and 1 and soft labels in between, as BCE accepts all three. */
  private static double[] binaryTargets(SplittableRandom rng, int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int kind = rng.nextInt(3);
      y[i] = kind == 0 ? 0 : kind == 1 ? 1 : rng.nextDouble();
    }
    return y;
  }

  private static double[] classTargets(SplittableRandom rng, int rows, int classes) {
    double[] t = new double[rows];
    for (int i = 0; i < rows; i++) {
      t[i] = rng.nextInt(classes);
    }
    return t;
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void mse(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 4);
    Loss loss = new MSELoss(r);
    GradCheck.named("MSELoss " + name(r))
        .input(uniform(rng, rows * cols, -2, 2), rows, cols)
        .constant(uniform(rng, rows * cols, -2, 2), rows, cols)
        .check(
            rng,
            t -> loss.apply(t[0], t[1]),
            v -> Reference.reduce(Reference.mse(v[0], v[1]), name(r)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void bce(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 4);
    Loss loss = new BCELoss(r);
    // Inside (0, 1) with room for the finite-difference step; the clamp is in the goldens.
    GradCheck.named("BCELoss " + name(r))
        .input(uniform(rng, rows * cols, 0.02, 0.98), rows, cols)
        .constant(binaryTargets(rng, rows * cols), rows, cols)
        .check(
            rng,
            t -> loss.apply(t[0], t[1]),
            v -> Reference.reduce(Reference.bce(v[0], v[1]), name(r)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void bceWithLogits(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 4);
    Loss loss = new BCEWithLogitsLoss(r);
    GradCheck.named("BCEWithLogitsLoss " + name(r))
        .input(uniform(rng, rows * cols, -8, 8), rows, cols)
        .constant(binaryTargets(rng, rows * cols), rows, cols)
        .check(
            rng,
            t -> loss.apply(t[0], t[1]),
            v -> Reference.reduce(Reference.bceWithLogits(v[0], v[1]), name(r)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void crossEntropy(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int classes = size(rng, 2, 6);
    Loss loss = new CrossEntropyLoss(r);
    GradCheck.named("CrossEntropyLoss " + name(r))
        .input(uniform(rng, rows * classes, -4, 4), rows, classes)
        .constant(classTargets(rng, rows, classes), rows)
        .check(
            rng,
            t -> loss.apply(t[0], t[1]),
            v -> Reference.reduce(Reference.crossEntropy(v[0], v[1], classes), name(r)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void nll(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int classes = size(rng, 2, 6);
    Loss loss = new NLLLoss(r);
    GradCheck.named("NLLLoss " + name(r))
        .input(uniform(rng, rows * classes, -5, 0), rows, classes)
        .constant(classTargets(rng, rows, classes), rows)
        .check(
            rng,
            t -> loss.apply(t[0], t[1]),
            v -> Reference.reduce(Reference.nll(v[0], v[1], classes), name(r)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("reductionsAndSeeds")
  void nllOfLogSoftmaxEqualsCrossEntropy(Reduction r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int classes = size(rng, 2, 6);
    Loss loss = new NLLLoss(r);
    GradCheck.named("NLLLoss(logSoftmax) " + name(r))
        .input(uniform(rng, rows * classes, -4, 4), rows, classes)
        .constant(classTargets(rng, rows, classes), rows)
        .check(
            rng,
            t -> loss.apply(t[0].logSoftmax(), t[1]),
            v -> Reference.reduce(Reference.crossEntropy(v[0], v[1], classes), name(r)));
  }

  @Test
  void bceClampsItsLogsAtMinus100LikePyTorch() {
    Tensor p = Tensor.of(new float[] {0f, 1f, 0f, 1f}, 4).requiresGrad(true);
    Tensor y = Tensor.of(new float[] {1f, 0f, 0f, 1f}, 4);
    Tensor loss = new BCELoss(Reduction.NONE).apply(p, y);
    assertEquals(100f, loss.data()[0]);
    assertEquals(100f, loss.data()[1]);
    assertEquals(0f, loss.data()[2], 0f);
    assertEquals(0f, loss.data()[3], 0f);
    loss.backward(new float[] {1f, 1f, 1f, 1f});
    for (float g : p.grad()) {
      assertTrue(Float.isFinite(g), "BCE gradient at p = 0 or 1 must stay finite");
    }
  }

  @Test
  void fusedLossesStayFiniteForExtremeLogits() {
    Tensor logits = Tensor.of(new float[] {100f, -100f, -100f, 100f}, 2, 2).requiresGrad(true);
    Tensor classes = Tensor.of(new float[] {1f, 1f}, 2);
    Tensor ce = new CrossEntropyLoss(Reduction.NONE).apply(logits, classes);
    assertEquals(200f, ce.data()[0]);
    assertEquals(0f, ce.data()[1], 0f);
    ce.backward(new float[] {1f, 1f});
    assertEquals(1f, logits.grad()[0]);
    assertEquals(-1f, logits.grad()[1]);

    Tensor x = Tensor.of(new float[] {100f, -100f}, 2).requiresGrad(true);
    Tensor bce = new BCEWithLogitsLoss(Reduction.NONE).apply(x, Tensor.of(new float[] {0f, 0f}, 2));
    assertEquals(100f, bce.data()[0]);
    // log1p(exp(-100)) = 3.7e-44, a float32 subnormal.
    assertEquals(3.7e-44f, bce.data()[1], 1e-45f);
    bce.backward(new float[] {1f, 1f});
    assertEquals(1f, x.grad()[0]);
    assertEquals(0f, x.grad()[1], 1e-43f);
  }

  static Stream<Function<Reduction, Loss>> elementwiseLosses() {
    return Stream.of(MSELoss::new, BCELoss::new, BCEWithLogitsLoss::new);
  }

  /**
   * The losses differentiate with respect to their input only. A target that requires a gradient
   * would silently get none, so it is refused, the way PyTorch refuses BCELoss's.
   */
  @ParameterizedTest
  @MethodSource("elementwiseLosses")
  void targetThatRequiresGradIsRefused(Function<Reduction, Loss> make) {
    Loss loss = make.apply(Reduction.MEAN);
    Tensor input = Tensor.of(new float[] {0.25f, 0.75f}, 2).requiresGrad(true);
    Tensor target = Tensor.of(new float[] {0f, 1f}, 2).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.apply(input, target));
    assertTrue(e.getMessage().contains("target requires a gradient"), e.getMessage());
    assertTrue(e.getMessage().contains("detach()"), e.getMessage());
    // Detached, or without grad mode, it is fine.
    loss.apply(input, target.detach());
    try (GradMode.Scope s = GradMode.noGrad()) {
      loss.apply(input, target);
    }
  }

  @Test
  void classTargetThatRequiresGradIsRefused() {
    Tensor logits = Tensor.of(new float[] {0f, 1f, 2f, 3f}, 2, 2).requiresGrad(true);
    Tensor target = Tensor.of(new float[] {0f, 1f}, 2).requiresGrad(true);
    assertThrows(
        IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(logits, target));
    assertThrows(IllegalArgumentException.class, () -> new NLLLoss().apply(logits, target));
  }
}
