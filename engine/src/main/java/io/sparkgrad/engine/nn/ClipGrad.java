package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import java.util.List;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class ClipGrad {
  private ClipGrad() {}

  /**
   * Scales the gradients of {@code params} in place so that their total 2-norm (over all of them,
   * as one vector) is at most {@code maxNorm}: when {@code maxNorm / (total + 1e-6) < 1} every
   * gradient is multiplied by that factor. Parameters without a gradient are skipped. Call it
   * between {@code backward()} and {@code optimizer.step()}.
   *
   * @return the total norm before clipping
   */
  public static double clipGradNorm(List<Tensor> params, double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("Invalid max_norm: " + maxNorm + " (expected >= 0)");
    }
    double sumOfSquares = 0;
    for (Tensor p : params) {
      float[] g = p.grad();
      if (g != null) {
        for (float v : g) {
          sumOfSquares += (double) v * v;
        }
      }
    }
    // float32 arithmetic from here, as PyTorch's on float32 gradients.
    float total = (float) Math.sqrt(sumOfSquares);
    float coef = (float) maxNorm / (total + 1e-6f);
    if (coef < 1f) {
      for (Tensor p : params) {
        float[] g = p.grad();
        if (g != null) {
          for (int i = 0; i < g.length; i++) {
            g[i] *= coef;
          }
        }
      }
    }
    return total;
  }
}
