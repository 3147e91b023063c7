package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.optim.CosineAnnealingLR;
import io.sparkgrad.engine.optim.ExponentialLR;
import io.sparkgrad.engine.optim.LRScheduler;
import io.sparkgrad.engine.optim.LinearLR;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import io.sparkgrad.engine.optim.SequentialLR;
import io.sparkgrad.engine.optim.StepLR;
import java.io.Serializable;
import java.util.List;

/**
 * Which learning-rate schedule a fit follows, stepped once per epoch: {@code constant}, {@code
 * step} ({@link StepLR} every {@code stepSize} epochs by {@code gamma}), {@code exponential}
 * ({@link ExponentialLR} by {@code gamma}) or {@code cosine} ({@link CosineAnnealingLR} down to
 * {@code etaMin} over the epochs after the warm-up). With {@code warmupEpochs} W > 0 a {@link
 * LinearLR} from {@code 1 / (W + 1)} of the rate to the full rate comes first, through {@link
 * SequentialLR}: epoch k < W trains at {@code (k + 1) / (W + 1)} of the rate, an even ramp whose
 * first epoch already learns.
 *
 * <p>The rate is a function of the epoch index alone ({@link #rates}), so every worker steps at the
 * same rate and a fit resumed at epoch e continues the schedule there.
 */
public record ScheduleSpec(String name, int stepSize, double gamma, double etaMin, int warmupEpochs)
    implements Serializable {
  public static final List<String> NAMES = List.of("constant", "step", "exponential", "cosine");

  public ScheduleSpec {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "learning-rate schedule '" + name + "' is not supported; use one of " + NAMES);
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("Invalid warmup epochs: " + warmupEpochs);
    }
  }

  /** The rate as set, every epoch. */
  public static ScheduleSpec constant() {
    return new ScheduleSpec("constant", 0, 0, 0, 0);
  }

  /** The warm-up's start factor: {@code 1 / (warmupEpochs + 1)}. */
  public double warmupStartFactor() {
    return 1.0 / (warmupEpochs + 1);
  }

  /**
   * This schedule's scheduler on {@code optimizer} for a fit of {@code maxEpochs} epochs, or null
   * for a constant rate without warm-up.
   */
  public LRScheduler create(Optimizer optimizer, int maxEpochs) {
    if (warmupEpochs > 0 && warmupEpochs >= maxEpochs) {
      throw new IllegalArgumentException(
          "warmup of " + warmupEpochs + " epochs leaves none of the " + maxEpochs + " epochs");
    }
    LRScheduler main =
        switch (name) {
          case "step" -> new StepLR(optimizer, stepSize, gamma);
          case "exponential" -> new ExponentialLR(optimizer, gamma);
          case "cosine" -> new CosineAnnealingLR(optimizer, maxEpochs - warmupEpochs, etaMin);
          default -> null;
        };
    if (warmupEpochs == 0) {
      return main;
    }
    LRScheduler warmup = new LinearLR(optimizer, warmupStartFactor(), 1.0, warmupEpochs);
    if (main == null) {
      return warmup; // LinearLR stays at the full rate after its total_iters
    }
    return new SequentialLR(optimizer, List.of(warmup, main), new int[] {warmupEpochs});
  }

  /**
   * The rate of each of {@code maxEpochs} epochs from base rate {@code lr}: the scheduler replayed
   * from epoch 0 on a stand-in optimizer, since schedulers act on an optimizer's rate.
   */
  public double[] rates(double lr, int maxEpochs) {
    double[] out = new double[maxEpochs];
    if (maxEpochs == 0) {
      return out;
    }
    Optimizer standIn = new SGD(List.of(Tensor.zeros(1)), lr);
    LRScheduler scheduler = create(standIn, maxEpochs);
    for (int e = 0; e < maxEpochs; e++) {
      out[e] = standIn.learningRate();
      if (scheduler != null) {
        scheduler.step();
      }
    }
    return out;
  }
}
