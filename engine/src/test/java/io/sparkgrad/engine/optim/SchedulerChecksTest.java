package io.sparkgrad.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.nn.ClipGrad;
import io.sparkgrad.engine.train.ScheduleSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad scheduler and clipping arguments fail in the constructor, naming the argument and value. */
class SchedulerChecksTest {
  private static Optimizer sgd(double lr) {
    return new SGD(List.of(Tensor.zeros(2)), lr);
  }

  private static void assertRejects(String message, Runnable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void badArgumentsAreRejectedWithPyTorchNames() {
    Optimizer opt = sgd(0.1);
    assertRejects("Invalid step_size: 0 (expected >= 1)", () -> new StepLR(opt, 0));
    assertRejects("Invalid gamma: -0.5 (expected >= 0)", () -> new ExponentialLR(opt, -0.5));
    assertRejects("Invalid T_max: 0 (expected >= 1)", () -> new CosineAnnealingLR(opt, 0));
    assertRejects(
        "Starting multiplicative factor expected to be greater than 0 and less or equal to 1,"
            + " got 0.0",
        () -> new LinearLR(opt, 0, 1, 3));
    assertRejects(
        "Sequential Schedulers expects number of schedulers provided to be one more than the"
            + " number of milestone points, but got number of schedulers 2 and the number of"
            + " milestones to be equal to 0",
        () -> new SequentialLR(opt, List.of(new LinearLR(opt), new StepLR(opt, 2)), new int[0]));
    Optimizer other = sgd(0.1);
    assertThrows(
        IllegalArgumentException.class,
        () -> new SequentialLR(opt, List.of(new StepLR(other, 2)), new int[0]));
    Tensor p = Tensor.zeros(2);
    assertRejects(
        "Invalid max_norm: -1.0 (expected >= 0)", () -> ClipGrad.clipGradNorm(List.of(p), -1));
  }

  @Test
  void warmupMustLeaveEpochsForTheSchedule() {
    ScheduleSpec cosine = new ScheduleSpec("cosine", 0, 0, 0, 5);
    assertRejects("warmup of 5 epochs leaves none of the 5 epochs", () -> cosine.rates(0.1, 5));
    assertEquals(0.1 / 6, cosine.rates(0.1, 6)[0], 1e-17);
  }

  @Test
  void constantWithWarmupRampsThenHolds() {
    double[] rates = new ScheduleSpec("constant", 0, 0, 0, 3).rates(0.4, 6);
    double[] expected = {0.1, 0.2, 0.3, 0.4, 0.4, 0.4};
    for (int e = 0; e < rates.length; e++) {
      assertEquals(expected[e], rates[e], 1e-15, "epoch " + e);
    }
  }

  @Test
  void clippingScalesOnlyAboveTheNorm() {
    Tensor a = Tensor.of(new float[] {3, 0}, 2).requiresGrad(true);
    Tensor b = Tensor.of(new float[] {0, 4}, 2).requiresGrad(true);
    a.accumulateGrad(new float[] {3, 0});
    b.accumulateGrad(new float[] {0, 4});
    assertEquals(5.0, ClipGrad.clipGradNorm(List.of(a, b), 10), 0);
    assertEquals(3f, a.grad()[0]);
    assertEquals(5.0, ClipGrad.clipGradNorm(List.of(a, b), 1), 0);
    assertEquals(0.6f, a.grad()[0], 1e-6f);
    assertEquals(0.8f, b.grad()[1], 1e-6f);
  }
}
