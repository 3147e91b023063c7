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
    int[] t = LossShapes.classIndices("cross_entropy", logits, target);
    int rows = logits.size(0);
    int cols = logits.size(1);
    float[] x = logits.data();
    float[] losses = new float[rows];
    for (int r = 0; r < rows; r++) {
      losses[r] = Softmax.logSumExp(x, r * cols, cols) - x[r * cols + t[r]];
    }
    return reduction.finish(
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
              gx[o + j] *= w[r];
            }
          }
          return gx;
        });
  }
}
