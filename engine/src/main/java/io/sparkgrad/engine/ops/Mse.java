package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/** Squared error (x - y)^2 per element; gradient 2(x - y). */
public final class Mse {
  private Mse() {}

  public static Tensor apply(Tensor input, Tensor target, Reduction reduction) {
    LossShapes.requireSame("mse_loss", input, target);
    float[] x = input.data();
    float[] y = target.data();
    float[] losses = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float d = x[i] - y[i];
      losses[i] = d * d;
    }
    return reduction.finish(
        input,
        losses,
        input.shape(),
        w -> {
          float[] gx = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            gx[i] = 2f * w[i] * (x[i] - y[i]);
          }
          return gx;
        });
  }
}
