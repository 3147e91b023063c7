package io.sparkgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparkgrad.engine.nn.MSELoss;
import io.sparkgrad.engine.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SGD with its momentum fused into backward (the gradient written onto the momentum buffer) must
 * follow the plain update's trajectory and keep PyTorch's bookkeeping around it.
 */
class FusedMomentumTest {
  private static final float LR = 0.1f;
  private static final float MOMENTUM = 0.9f;

  private static void backward(ThreePathNet net, long seed) {
    Tensor x = ThreePathNet.batch(seed, 6, net.body.parameters().get(0).size(1));
    new MSELoss().apply(net.forward(x), ThreePathNet.batch(seed + 100, 6, 3)).backward();
  }

  /** Sizes on both sides of the Java-loop / netlib switch of the GEMMs. */
  @ParameterizedTest
  @ValueSource(ints = {4, 40})
  void fusedStepsFollowThePlainUpdate(int width) {
    ThreePathNet plain = new ThreePathNet(width, width, 3, 7);
    ThreePathNet fused = new ThreePathNet(width, width, 3, 7);
    SGD plainSgd = new SGD(plain.parameters(), LR).momentum(MOMENTUM);
    SGD fusedSgd = new SGD(fused.parameters(), LR).momentum(MOMENTUM).fuseMomentum(true);
    for (int step = 0; step < 6; step++) {
      for (SGD opt : List.of(plainSgd, fusedSgd)) {
        ThreePathNet net = opt == plainSgd ? plain : fused;
        opt.zeroGrad();
        backward(net, step);
        if (step == 3) {
          // Two backward calls before a step: the momentum is scaled once, the gradients add.
          backward(net, 50);
        }
        opt.step();
      }
      assertClose(plain.parameters(), fused.parameters(), "weights after step " + step);
    }
    Map<String, float[]> expected = plainSgd.state();
    Map<String, float[]> actual = fusedSgd.state();
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), 1e-5f, k));
  }

  /** The one exception to grad() meaning the gradient: fused, it is the new momentum buffer. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void betweenBackwardAndStepGradIsTheNewMomentumBufferOnlyWhenFused(boolean fuse) {
    Tensor w = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
    SGD sgd = new SGD(List.of(w), LR).momentum(MOMENTUM).fuseMomentum(fuse);
    sgd.zeroGrad();
    w.mul(w).sum().backward();
    // g = 2w = {2, -4}; the first step's buffer is g itself, fused or not.
    assertArrayEquals(new float[] {2f, -4f}, w.grad(), 1e-6f);
    sgd.step();
    float[] g2 = {2f * w.data()[0], 2f * w.data()[1]};
    sgd.zeroGrad();
    w.mul(w).sum().backward();
    float[] buffer = sgd.state().get("0.momentum_buffer");
    if (fuse) {
      assertSame(buffer, w.grad(), "grad() is SGD's buffer");
      float[] expected = {MOMENTUM * 2f + g2[0], MOMENTUM * -4f + g2[1]};
      assertArrayEquals(expected, w.grad(), 1e-6f, "momentum * b + g, before the step");
    } else {
      assertArrayEquals(g2, w.grad(), 1e-6f, "the bare gradient");
      assertArrayEquals(new float[] {2f, -4f}, buffer, 1e-6f, "the buffer waits for the step");
    }
  }

  @Test
  void aParameterWithoutAGradientIsLeftAlone() {
    Tensor used = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor unused = Tensor.of(new float[] {3f, 4f}, 2).requiresGrad(true);
    SGD sgd = new SGD(List.of(used, unused), LR).momentum(MOMENTUM).fuseMomentum(true);
    for (int step = 0; step < 2; step++) {
      sgd.zeroGrad();
      assertNull(unused.grad(), "a seeded parameter has no gradient until one arrives");
      used.mul(used).sum().backward();
      sgd.step();
    }
    assertArrayEquals(new float[] {3f, 4f}, unused.data());
    // w -= lr * g at step 1; w -= lr * (momentum * g1 + g2) at step 2, with g = 2w.
    float w1 = 1f - LR * 2f;
    assertEquals(w1 - LR * (MOMENTUM * 2f + 2f * w1), used.data()[0], 1e-6f);
  }

  @Test
  void zeroGradGivesTheMomentumBufferBack() {
    ThreePathNet net = new ThreePathNet(5, 5, 3, 7);
    SGD sgd = new SGD(net.parameters(), LR).momentum(MOMENTUM).fuseMomentum(true);
    sgd.zeroGrad();
    backward(net, 1);
    sgd.step();
    Map<String, float[]> before = copy(sgd.state());

    // Gradients of the stepped weights, computed by a net that never had an optimizer.
    ThreePathNet fresh = new ThreePathNet(5, 5, 3, 7);
    for (int p = 0; p < net.parameters().size(); p++) {
      float[] w = net.parameters().get(p).data();
      System.arraycopy(w, 0, fresh.parameters().get(p).data(), 0, w.length);
    }
    backward(fresh, 2);

    net.zeroGrad();
    backward(net, 2);
    for (int p = 0; p < net.parameters().size(); p++) {
      assertArrayEquals(
          fresh.parameters().get(p).grad(),
          net.parameters().get(p).grad(),
          1e-7f,
          "after Module.zeroGrad, parameter " + p + " holds its bare gradient");
    }
    sgd.state().forEach((k, v) -> assertArrayEquals(before.get(k), v, k + " untouched"));
  }

  private static Map<String, float[]> copy(Map<String, float[]> state) {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    state.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  private static void assertClose(List<Tensor> expected, List<Tensor> actual, String what) {
    for (int p = 0; p < expected.size(); p++) {
      float[] e = expected.get(p).data();
      float[] a = actual.get(p).data();
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-6f * (1 + Math.abs(e[i])), what + ", parameter " + p);
      }
    }
  }
}
