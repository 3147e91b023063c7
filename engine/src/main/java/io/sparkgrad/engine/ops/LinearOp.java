package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.blas.Blas;

/**
 * {@code y = x @ W^T + b}, PyTorch's {@code F.linear} (named apart from the layer {@code
 * nn.Linear}, which calls it), with W stored (out, in). One GEMM forward; backward is one GEMM each
 * for dx and dW plus a column sum for db. The weight gradient is written straight into the
 * parameter's buffer (beta 0 after zeroGrad, 1 when accumulating, an optimizer's scale after
 * seedGrad).
 */
public final class LinearOp {
  private LinearOp() {}

  public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
    Shapes.require2d("linear", "input", x);
    Shapes.require2d("linear", "weight", weight);
    int batch = x.size(0);
    int in = x.size(1);
    int out = weight.size(0);
    if (weight.size(1) != in) {
      throw new IllegalArgumentException(
          "linear: input has "
              + in
              + " features but the weight expects "
              + weight.size(1)
              + " (weight shape "
              + out
              + "x"
              + weight.size(1)
              + ")");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
      throw new IllegalArgumentException(
          "linear: bias must be 1-D of length " + out + "; got " + bias.numel() + " values");
    }
    float[] y = new float[batch * out];
    if (bias != null) {
      float[] b = bias.data();
      for (int r = 0; r < batch; r++) {
        System.arraycopy(b, 0, y, r * out, out);
      }
    }
    Blas.gemm(
        false,
        true,
        batch,
        out,
        in,
        1f,
        x.data(),
        0,
        weight.data(),
        0,
        bias == null ? 0f : 1f,
        y,
        0);
    Tensor.Backward backward =
        g -> {
          if (x.requiresGrad()) {
            float beta = x.gradBeta();
            Blas.gemm(
                false, false, batch, in, out, 1f, g, 0, weight.data(), 0, beta, x.gradBuffer(), 0);
          }
          if (weight.requiresGrad()) {
            float beta = weight.gradBeta();
            Blas.gemm(
                true, false, out, in, batch, 1f, g, 0, x.data(), 0, beta, weight.gradBuffer(), 0);
          }
          if (bias != null && bias.requiresGrad()) {
            float beta = bias.gradBeta();
            float[] db = bias.gradBuffer();
            if (beta != 1f) {
              for (int j = 0; j < out; j++) {
                db[j] = beta == 0f ? 0f : beta * db[j];
              }
            }
            for (int r = 0; r < batch; r++) {
              int row = r * out;
              for (int j = 0; j < out; j++) {
                db[j] += g[row + j];
              }
            }
          }
        };
    return bias == null
        ? Tensor.fromOp(y, new int[] {batch, out}, backward, x, weight)
        : Tensor.fromOp(y, new int[] {batch, out}, backward, x, weight, bias);
  }
}
