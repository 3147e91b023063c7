package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/**
 * Binary cross entropy from logits, fused with the sigmoid: the implicit derivative of a separate
 * sigmoid is not stable (it saturates to 0 or 1 and BCE's log then blows up). Loss max(x,0) - x*y +
 * log(1 + exp(-|x|)); gradient sigmoid(x) - y.
 */
public final class BceWithLogits {
  private BceWithLogits() {}

  public static Tensor apply(Tensor logits, Tensor target, Reduction reduction) {
    LossShapes.requireSame("binary_cross_entropy_with_logits", logits, target);
    float[] x = logits.data();
    float[] y = target.data();
    float[] losses = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      losses[i] =
          (float) (Math.max(x[i], 0f) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i]))));
    }
    return reduction.finish(
        logits,
        losses,
        logits.shape(),
        w -> {
          float[] gx = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            gx[i] = w[i] * (Elementwise.sigmoid(x[i]) - y[i]);
          }
          return gx;
        });
  }
}
