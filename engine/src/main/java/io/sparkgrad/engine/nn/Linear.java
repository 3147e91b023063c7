package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.LinearOp;

/**
 * {@code y = x W^T + b} with W of shape (out, in), as {@code torch.nn.Linear}. Initialised as
 * PyTorch does: kaiming-uniform with a = sqrt(5) for W and U(-1/sqrt(in), 1/sqrt(in)) for b, which
 * both come to U(-1/sqrt(in), 1/sqrt(in)).
 */
public class Linear extends Module {
  public final int inFeatures;
  public final int outFeatures;
  public final Tensor weight;
  public final Tensor bias;

  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, Generator.defaultGenerator());
  }

  public Linear(int inFeatures, int outFeatures, Generator generator) {
    this(inFeatures, outFeatures, true, generator);
  }

  /**
   * @param generator draws the initial values; null leaves them zero, for a layer whose weights are
   *     loaded next (as {@code torch.nn.utils.skip_init})
   */
  public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
    if (inFeatures <= 0 || outFeatures <= 0) {
      throw new IllegalArgumentException(
          "Linear sizes must be > 0; got in_features="
              + inFeatures
              + ", out_features="
              + outFeatures);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
    this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
    if (generator != null) {
      resetParameters(generator);
    }
  }

  /** Draws fresh initial values from {@code generator}: weight first, then bias. */
  public void resetParameters(Generator generator) {
    float bound = (float) (1.0 / Math.sqrt(inFeatures));
    fill(weight.data(), bound, generator);
    if (bias != null) {
      fill(bias.data(), bound, generator);
    }
  }

  private static void fill(float[] values, float bound, Generator generator) {
    for (int i = 0; i < values.length; i++) {
      values[i] = generator.uniform(-bound, bound);
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    return LinearOp.apply(input, weight, bias);
  }
}
