package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/**
 * Cross entropy from logits: log-softmax and NLL fused. Separately, softmax can underflow to 0 and
 * its log to -inf; fused, the loss is logsumexp(x) - x[t] and the gradient softmax(x) - onehot(t),
 * both finite for any finite logits.
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  public static Tensor apply(Tensor logits, Tensor target, Reduction reduction) {
    return apply(logits, target, reduction, null);
  }

  /**
   * With {@code classWeight} (one per class, or null for none) row r's loss is w[t_r] * l_r, and
   * the mean is PyTorch's weighted mean sum(w[t_r] * l_r) / sum(w[t_r]), not a mean over rows.
   */
  public static Tensor apply(
      Tensor logits, Tensor target, Reduction reduction, float[] classWeight) {
    int[] t = LossShapes.classIndices("cross_entropy", logits, target);
    int rows = logits.size(0);
    int cols = logits.size(1);
    float[] factor = rowFactors(t, cols, reduction, classWeight);
    float[] x = logits.data();
    float[] losses = new float[rows];
    for (int r = 0; r < rows; r++) {
      losses[r] = factor[r] * (Softmax.logSumExp(x, r * cols, cols) - x[r * cols + t[r]]);
    }
    // A weighted mean is the sum of the rows' losses, each already divided by sum(w[t_r]).
    Reduction applied =
        classWeight != null && reduction == Reduction.MEAN ? Reduction.SUM : reduction;
    return applied.finish(
        logits,
        losses,
        new int[] {rows},
        w -> {
          float[] gx = new float[x.length];
          Softmax.rowsSoftmax(x, gx, cols);
          for (int r = 0; r < rows; r++) {
            int o = r * cols;
            gx[o + t[r]] -= 1f;
            for (int j = 0; j < cols; j++) {
              gx[o + j] *= w[r] * factor[r];
            }
          }
          return gx;
        });
  }

  /** Each row's factor: 1; or w[t_r], divided by sum(w[t_r]) for the weighted mean. */
  private static float[] rowFactors(int[] t, int cols, Reduction reduction, float[] classWeight) {
    float[] f = new float[t.length];
    if (classWeight == null) {
      java.util.Arrays.fill(f, 1f);
      return f;
    }
    if (classWeight.length != cols) {
      throw new IllegalArgumentException(
          "cross_entropy: weight has "
              + classWeight.length
              + " values but the input has "
              + cols
              + " classes; give one weight per class.");
    }
    double total = 0;
    for (int r = 0; r < t.length; r++) {
      f[r] = classWeight[t[r]];
      total += f[r];
    }
    if (reduction == Reduction.MEAN) {
      // As PyTorch, a zero total gives NaN rather than an invented value.
      for (int r = 0; r < t.length; r++) {
        f[r] = (float) (f[r] / total);
      }
    }
    return f;
  }
}
