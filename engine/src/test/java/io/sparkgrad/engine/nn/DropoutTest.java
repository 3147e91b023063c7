package io.sparkgrad.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.GradCheck;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.train.MlpSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutTest {

  /** About p of the units are dropped (within 5 standard deviations); the kept ones scaled. */
  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 0.8})
  void dropsAboutPAndScalesTheKeptOnes(double p) {
    int n = 100_000;
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    float[] out = new Dropout(p, new Generator(3)).forward(Tensor.of(ones, 100, 1000)).data();
    int dropped = 0;
    for (float v : out) {
      if (v == 0f) {
        dropped++;
      } else {
        assertEquals((float) (1 / (1 - p)), v, 0f, "a kept unit is scaled by 1/(1-p)");
      }
    }
    double sd = Math.sqrt(n * p * (1 - p));
    assertEquals(n * p, dropped, 5 * sd, "dropped units");
  }

  @Test
  void evalModeAndRateZeroAreTheIdentity() {
    Tensor x = Tensor.of(new float[] {1, -2, 3, 4, 5, 6}, 2, 3);
    Dropout d = new Dropout(0.5, new Generator(1));
    d.eval();
    assertSame(x, d.forward(x));
    assertSame(x, new Dropout(0, new Generator(1)).forward(x));
    d.train();
    assertFalse(Arrays.equals(x.data(), d.forward(x).data()), "training mode drops units");
  }

  @Test
  void rateOneDropsEverything() {
    Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
    assertArrayEquals(new float[3], new Dropout(1, new Generator(1)).forward(x).data());
  }

  @Test
  void equalSeedsDropEqualUnits() {
    Tensor x = Tensor.of(new float[64], 8, 8);
    Arrays.fill(x.data(), 1f);
    float[] a = new Dropout(0.5, new Generator(42)).forward(x).data();
    float[] b = new Dropout(0.5, new Generator(42)).forward(x).data();
    float[] c = new Dropout(0.5, new Generator(43)).forward(x).data();
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c), "another seed, another mask");
  }

  @Test
  void refusesARateOutsideZeroOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    assertEquals("dropout probability has to be between 0 and 1, but got 1.5", e.getMessage());
  }

  /** With the mask fixed by its seed, dropout is a product: its gradient is the same mask. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void gradientIsTheMask(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double p = 0.4;
    int rows = GradCheck.size(rng, 1, 6);
    int cols = GradCheck.size(rng, 1, 6);
    GradCheck.named("dropout(p=0.4) " + rows + "x" + cols)
        .input(GradCheck.uniform(rng, rows * cols, -1, 1), rows, cols)
        .check(
            rng,
            t -> new Dropout(p, new Generator(seed)).forward(t[0]),
            v -> {
              float[] mask = Dropout.mask(new Generator(seed), rows * cols, p);
              double[] out = new double[mask.length];
              for (int i = 0; i < out.length; i++) {
                out[i] = v[0][i] * mask[i];
              }
              return out;
            });
  }

  /** Dropout adds no parameters and keeps the names of the network without it. */
  @Test
  void mlpWithDropoutKeepsItsParameterNames() {
    MlpSpec spec = new MlpSpec(new int[] {4, 8, 6, 3}, "relu", "cross_entropy");
    Sequential plain = spec.build(new Generator(5));
    Sequential dropped = spec.build(new Generator(5), 0.3);
    assertEquals(plain.namedParameters().keySet(), dropped.namedParameters().keySet());
    long dropouts = dropped.modules().stream().filter(Dropout.class::isInstance).count();
    assertEquals(2, dropouts, "one after each hidden activation");
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
    dropped.eval();
    assertArrayEquals(plain.forward(x).data(), dropped.forward(x).data(), "eval: no dropout");
    assertTrue(dropped.modules().stream().noneMatch(Module::isTraining));
  }
}
