package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/** Softmax and log-softmax over the last dimension (each row of a 2-D tensor). */
public final class Softmax {
  private Softmax() {}

  public static Tensor softmax(Tensor a) {
    int cols = a.dim() == 2 ? a.size(1) : a.numel();
    float[] out = new float[a.numel()];
    rowsSoftmax(a.data(), out, cols);
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          // dx = y * (g - sum(g * y)) per row.
          float[] gx = new float[g.length];
          for (int r = 0; r * cols < g.length; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
              dot += g[o + j] * out[o + j];
            }
            for (int j = 0; j < cols; j++) {
              gx[o + j] = out[o + j] * (g[o + j] - (float) dot);
            }
          }
          a.accumulateGrad(gx);
        },
        a);
  }

  public static Tensor logSoftmax(Tensor a) {
    int cols = a.dim() == 2 ? a.size(1) : a.numel();
    float[] x = a.data();
    float[] out = new float[x.length];
    for (int r = 0; r * cols < x.length; r++) {
      int o = r * cols;
      float lse = logSumExp(x, o, cols);
      for (int j = 0; j < cols; j++) {
        out[o + j] = x[o + j] - lse;
      }
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          // dx = g - softmax * sum(g) per row; softmax = exp(out).
          float[] gx = new float[g.length];
          for (int r = 0; r * cols < g.length; r++) {
            int o = r * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
              sum += g[o + j];
            }
            for (int j = 0; j < cols; j++) {
              gx[o + j] = g[o + j] - (float) Math.exp(out[o + j]) * (float) sum;
            }
          }
          a.accumulateGrad(gx);
        },
        a);
  }

  /** log(sum(exp(x[off..off+n)))), shifted by the maximum so it cannot overflow. */
  public static float logSumExp(float[] x, int off, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += Math.exp(x[off + j] - max);
    }
    return (float) (max + Math.log(sum));
  }

  /** Row-wise softmax of {@code x} into {@code out}, rows of {@code cols} values. */
  public static void rowsSoftmax(float[] x, float[] out, int cols) {
    for (int o = 0; o < x.length; o += cols) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(x[o + j] - max);
        out[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < cols; j++) {
        out[o + j] *= inv;
      }
    }
  }
}
