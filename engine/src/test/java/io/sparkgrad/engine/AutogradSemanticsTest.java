package io.sparkgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.MSELoss;
import io.sparkgrad.engine.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Accumulation, zeroGrad, refusals and no-grad mode: the bookkeeping around the gradients. */
class AutogradSemanticsTest {

  private static List<float[]> gradsAfter(ThreePathNet net, Tensor... xs) {
    for (Tensor x : xs) {
      Tensor y = ThreePathNet.batch(99, x.rows(), 3);
      new MSELoss().apply(net.forward(x), y).backward();
    }
    List<float[]> out = new ArrayList<>();
    for (Tensor p : net.parameters()) {
      assertNotNull(p.grad(), "every parameter gets a gradient");
      out.add(p.grad().clone());
    }
    return out;
  }

  /** Sizes on both sides of the Java-loop / netlib switch of the GEMMs. */
  @ParameterizedTest
  @ValueSource(ints = {4, 40})
  void twoBackwardCallsAccumulateTheSumOfTheirGradients(int width) {
    Tensor x1 = ThreePathNet.batch(1, 6, width);
    Tensor x2 = ThreePathNet.batch(2, 6, width);
    List<float[]> g1 = gradsAfter(new ThreePathNet(width, width, 3, 7), x1);
    List<float[]> g2 = gradsAfter(new ThreePathNet(width, width, 3, 7), x2);
    List<float[]> both = gradsAfter(new ThreePathNet(width, width, 3, 7), x1, x2);
    for (int p = 0; p < both.size(); p++) {
      for (int i = 0; i < both.get(p).length; i++) {
        float expected = g1.get(p)[i] + g2.get(p)[i];
        assertEquals(expected, both.get(p)[i], 1e-6f * (1 + Math.abs(expected)), "param " + p);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 40})
  void zeroGradForgetsTheGradientAndTheNextBackwardOverwritesTheBuffer(int width) {
    Tensor x1 = ThreePathNet.batch(1, 6, width);
    Tensor x2 = ThreePathNet.batch(2, 6, width);
    List<float[]> fresh = gradsAfter(new ThreePathNet(width, width, 3, 7), x2);

    ThreePathNet net = new ThreePathNet(width, width, 3, 7);
    gradsAfter(net, x1);
    List<float[]> stale = new ArrayList<>();
    for (Tensor p : net.parameters()) {
      stale.add(p.grad());
    }
    new SGD(net.parameters(), 0.1).zeroGrad();
    for (Tensor p : net.parameters()) {
      assertNull(p.grad(), "after zeroGrad a parameter has no gradient");
    }
    // A diverged step leaves NaN behind; the next gradient must not be mixed with it (0 * NaN).
    for (float[] s : stale) {
      java.util.Arrays.fill(s, Float.NaN);
    }
    List<float[]> after = gradsAfter(net, x2);
    for (int p = 0; p < fresh.size(); p++) {
      assertArrayEquals(fresh.get(p), after.get(p), 1e-7f, "param " + p);
    }
    net.zeroGrad();
    net.parameters().forEach(p -> assertNull(p.grad(), "Module.zeroGrad clears too"));
  }

  @Test
  void backwardTwiceOnOneGraphDoublesTheGradient() {
    Tensor w = Tensor.of(new float[] {1f, -2f, 3f}, 3).requiresGrad(true);
    Tensor loss = w.mul(w).sum();
    loss.backward();
    assertArrayEquals(new float[] {2f, -4f, 6f}, w.grad());
    loss.backward();
    assertArrayEquals(new float[] {4f, -8f, 12f}, w.grad());
  }

  @Test
  void scalarBackwardSeedsWithOne() {
    Tensor a = Tensor.of(new float[] {0.5f, -1.5f}, 2).requiresGrad(true);
    a.tanh().sum().backward();
    float[] implicit = a.grad().clone();
    a.zeroGrad();
    a.tanh().sum().backward(new float[] {1f});
    assertArrayEquals(implicit, a.grad());
    a.zeroGrad();
    a.tanh().sum().backward(new float[] {-3f});
    for (int i = 0; i < 2; i++) {
      assertEquals(-3f * implicit[i], a.grad()[i], 1e-6f);
    }
  }

  @Test
  void intermediateGradientsAreNotKept() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor h = x.sigmoid();
    h.sum().backward();
    assertFalse(h.isLeaf());
    assertNull(h.grad(), "as in PyTorch, only leaves keep their gradient");
    assertNotNull(x.grad());
  }

  @Test
  void backwardOnANonScalarNeedsAGradient() {
    Tensor x = Tensor.of(new float[6], 2, 3).requiresGrad(true);
    Tensor y = x.tanh();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("needs a scalar"), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 3]"), "names the shape: " + e.getMessage());
    assertTrue(e.getMessage().contains("sum or mean"), "says how to fix: " + e.getMessage());
    assertNull(x.grad(), "a refused backward leaves no gradient behind");

    IllegalArgumentException wrongSize =
        assertThrows(IllegalArgumentException.class, () -> y.backward(new float[5]));
    assertTrue(wrongSize.getMessage().contains("5 values"), wrongSize.getMessage());
  }

  @Test
  void backwardWithoutAGraphIsRefused() {
    Tensor constant = Tensor.of(new float[] {1f, 2f}, 2);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> constant.sigmoid().sum().backward());
    assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
  }

  @Test
  void noGradRecordsNoGraphAndRestoresTheMode() {
    Linear layer = new Linear(3, 2, new Generator(5));
    Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3).requiresGrad(true);
    assertTrue(GradMode.isEnabled());
    Tensor y;
    try (GradMode.Scope outer = GradMode.noGrad()) {
      assertFalse(GradMode.isEnabled());
      y = layer.forward(x).sigmoid().sum();
      try (GradMode.Scope inner = GradMode.noGrad()) {
        assertFalse(GradMode.isEnabled());
      }
      assertFalse(GradMode.isEnabled(), "closing an inner scope keeps the outer one");
      // Another thread has its own mode.
      assertTrue(CompletableFuture.supplyAsync(GradMode::isEnabled).join());
    }
    assertTrue(GradMode.isEnabled(), "closing the scope restores grad mode");
    assertFalse(y.requiresGrad());
    assertTrue(y.isLeaf(), "no inputs are remembered");
    assertThrows(IllegalStateException.class, y::backward);
    assertNull(layer.weight.grad());
    assertNull(x.grad());

    // Same values with the graph recorded, and now backward works.
    Tensor z = layer.forward(x).sigmoid().sum();
    assertEquals(y.item(), z.item());
    assertTrue(z.requiresGrad());
    z.backward();
    assertNotNull(layer.weight.grad());
    assertNotNull(x.grad());
  }

  @Test
  void detachCutsTheGraph() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor w = Tensor.of(new float[] {3f, 4f}, 2).requiresGrad(true);
    Tensor h = x.mul(w);
    h.detach().mul(w).sum().backward();
    assertNull(x.grad(), "x is behind the detach");
    assertArrayEquals(new float[] {3f, 8f}, w.grad());
    assertThrows(IllegalStateException.class, () -> h.requiresGrad(false));
  }
}
