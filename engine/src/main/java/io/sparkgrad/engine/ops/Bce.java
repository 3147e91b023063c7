package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/**
 * Binary cross entropy of probabilities, PyTorch's {@code binary_cross_entropy}: logs clamped at
 * -100 and the gradient's denominator at 1e-12, as PyTorch does, so p = 0 or 1 stays finite.
 */
public final class Bce {
  private static final double LOG_FLOOR = -100;
  private static final double EPSILON = 1e-12;

  private Bce() {}

  public static Tensor apply(Tensor probs, Tensor target, Reduction reduction) {
    LossShapes.requireSame("binary_cross_entropy", probs, target);
    float[] p = probs.data();
    float[] y = target.data();
    float[] losses = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0f && p[i] <= 1f)) {
        throw new IllegalArgumentException(
            "binary_cross_entropy: input at index "
                + i
                + " is "
                + p[i]
                + "; expected a probability in [0, 1] (apply sigmoid, or use BCEWithLogitsLoss)");
      }
      double logP = Math.max(Math.log(p[i]), LOG_FLOOR);
      double log1mP = Math.max(Math.log1p(-p[i]), LOG_FLOOR);
      losses[i] = (float) -(y[i] * logP + (1 - y[i]) * log1mP);
    }
    return reduction.finish(
        probs,
        losses,
        probs.shape(),
        w -> {
          float[] gx = new float[p.length];
          for (int i = 0; i < p.length; i++) {
            gx[i] = (float) (w[i] * (p[i] - y[i]) / Math.max((1.0 - p[i]) * p[i], EPSILON));
          }
          return gx;
        });
  }
}
