package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/** Negative log-likelihood of class indices, given log-probabilities (N, C). */
public final class Nll {
  private Nll() {}

  public static Tensor apply(Tensor logProbs, Tensor target, Reduction reduction) {
    int[] t = LossShapes.classIndices("nll_loss", logProbs, target);
    int rows = logProbs.size(0);
    int cols = logProbs.size(1);
    float[] x = logProbs.data();
    float[] losses = new float[rows];
    for (int r = 0; r < rows; r++) {
      losses[r] = -x[r * cols + t[r]];
    }
    return reduction.finish(
        logProbs,
        losses,
        new int[] {rows},
        w -> {
          float[] gx = new float[x.length];
          for (int r = 0; r < rows; r++) {
            gx[r * cols + t[r]] = -w[r];
          }
          return gx;
        });
  }
}
