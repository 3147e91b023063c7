package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;

/**
 * Inverted dropout, as {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with
 * probability p and the kept ones are scaled by 1/(1-p), so the expected output equals the input
 * and evaluation needs no rescaling; in eval mode it is the identity. The mask is drawn from a
 * {@link Generator}: the one given, or the thread's default one, so equal seeds drop equal units.
 */
public class Dropout extends Module {
  private final double p;
  private Generator generator;

  /** Dropout with rate {@code p} in [0, 1], drawing from the thread's default generator. */
  public Dropout(double p) {
    this(p, null);
  }

  /** Dropout with rate {@code p} in [0, 1], drawing its masks from {@code generator}. */
  public Dropout(double p, Generator generator) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(
          "dropout probability has to be between 0 and 1, but got " + p);
    }
    this.p = p;
    this.generator = generator;
  }

  public double p() {
    return p;
  }

  /** Draws later masks from {@code g} (null: the thread's default generator); returns this. */
  public Dropout generator(Generator g) {
    generator = g;
    return this;
  }

  @Override
  public Tensor forward(Tensor input) {
    if (!isTraining() || p == 0) {
      return input;
    }
    Generator g = generator != null ? generator : Generator.defaultGenerator();
    return input.mul(Tensor.of(mask(g, input.numel(), p), input.shape()));
  }

  /**
   * The factors of {@code n} elements: 0 with probability p, else 1/(1-p) (0 everywhere for p = 1,
   * as PyTorch). Multiplying by them is the whole op, so the gradient is the same mask.
   */
  public static float[] mask(Generator g, int n, double p) {
    float[] m = new float[n];
    if (p >= 1) {
      return m;
    }
    float keep = (float) (1.0 / (1.0 - p));
    for (int i = 0; i < n; i++) {
      m[i] = g.nextDouble() < p ? 0f : keep;
    }
    return m;
  }
}
