package io.sparkgrad.engine.golden;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.nn.BCELoss;
import io.sparkgrad.engine.nn.BCEWithLogitsLoss;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.MSELoss;
import io.sparkgrad.engine.nn.NLLLoss;
import io.sparkgrad.engine.ops.Reduction;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each loss in each reduction against PyTorch 1.13: the output and the input's gradient, on inputs
 * that include the edges PyTorch defines specially (probabilities 0 and 1 for BCELoss, logits of
 * +-50 for the fused losses).
 */
class LossGoldenTest {
  static final double RTOL = 1e-5;

  /**
   * Entries far below a tensor's typical size are compared at 1e-3 of that size (its median
   * magnitude): a subnormal softmax entry, or log1p(exp(-50)) = 1.9e-22 which the engine keeps and
   * PyTorch's formula rounds to 0, carry no information at float32 precision. The median, not the
   * maximum, because BCELoss's clamped gradients reach 1e11 beside ordinary entries of 0.1.
   */
  static final double FLOOR = 1e-3;

  private static final Goldens.Report REPORT = new Goldens.Report("loss goldens");

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    Object[][] losses = {
      {"loss_mse.safetensors", (Function<Reduction, Loss>) MSELoss::new},
      {"loss_bce.safetensors", (Function<Reduction, Loss>) BCELoss::new},
      {"loss_bce_with_logits.safetensors", (Function<Reduction, Loss>) BCEWithLogitsLoss::new},
      {"loss_cross_entropy.safetensors", (Function<Reduction, Loss>) CrossEntropyLoss::new},
      {"loss_nll.safetensors", (Function<Reduction, Loss>) NLLLoss::new},
      {
        "loss_cross_entropy_weighted.safetensors",
        (Function<Reduction, Loss>) r -> new CrossEntropyLoss(r, classWeight())
      },
    };
    for (Object[] l : losses) {
      for (Reduction r : Reduction.values()) {
        b.add(Arguments.of(l[0], r, l[1]));
      }
    }
    return b.build();
  }

  /** The weight per class that PyTorch's weighted CrossEntropyLoss was given. */
  private static float[] classWeight() {
    return Goldens.tensor(Goldens.load("loss_cross_entropy_weighted.safetensors"), "weight").data();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void matchesPyTorch(String file, Reduction reduction, Function<Reduction, Loss> make) {
    SafeTensors.Contents golden = Goldens.load(file);
    String r = reduction.name().toLowerCase(Locale.ROOT);
    String what = file.replace(".safetensors", "").replace("loss_", "") + " " + r;
    Tensor input = Goldens.tensor(golden, "input").copy().requiresGrad(true);
    Tensor target = Goldens.tensor(golden, "target");
    Tensor output = make.apply(reduction).apply(input, target);
    if (reduction == Reduction.NONE) {
      output.backward(Goldens.tensor(golden, "none.upstream").data());
    } else {
      output.backward();
    }
    Tensor expectedOut = Goldens.tensor(golden, r + ".output");
    Tensor expectedGrad = Goldens.tensor(golden, r + ".grad");
    Goldens.assertSameShape(what + " output", expectedOut, output);
    REPORT.add(
        what + " output",
        Goldens.assertClose(
            what + " output",
            expectedOut.data(),
            output.data(),
            RTOL,
            FLOOR * Goldens.medianAbs(expectedOut.data())));
    REPORT.add(
        what + " grad",
        Goldens.assertClose(
            what + " grad",
            expectedGrad.data(),
            input.grad(),
            RTOL,
            FLOOR * Goldens.medianAbs(expectedGrad.data())));
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
