package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.blas.Blas;

/** {@code op(A) @ op(B)} for 2-D tensors through BLAS, with transposes as flags, never copies. */
public final class MatMul {
  private MatMul() {}

  public static Tensor apply(Tensor a, Tensor b, boolean transA, boolean transB) {
    Shapes.require2d("matmul", "A", a);
    Shapes.require2d("matmul", "B", b);
    int m = transA ? a.size(1) : a.size(0);
    int k = transA ? a.size(0) : a.size(1);
    int kb = transB ? b.size(1) : b.size(0);
    int n = transB ? b.size(0) : b.size(1);
    if (k != kb) {
      throw new IllegalArgumentException(
          "matmul: op(A) is "
              + m
              + "x"
              + k
              + " but op(B) is "
              + kb
              + "x"
              + n
              + "; inner sizes differ");
    }
    float[] out = new float[m * n];
    Blas.gemm(transA, transB, m, n, k, 1f, a.data(), 0, b.data(), 0, 0f, out, 0);
    return Tensor.fromOp(
        out,
        new int[] {m, n},
        g -> {
          if (a.requiresGrad()) {
            // dA = g @ op(B)^T, laid out as A is stored.
            float beta = a.gradBeta();
            if (transA) {
              Blas.gemm(transB, true, k, m, n, 1f, b.data(), 0, g, 0, beta, a.gradBuffer(), 0);
            } else {
              Blas.gemm(false, !transB, m, k, n, 1f, g, 0, b.data(), 0, beta, a.gradBuffer(), 0);
            }
          }
          if (b.requiresGrad()) {
            // dB = op(A)^T @ g, laid out as B is stored.
            float beta = b.gradBeta();
            if (transB) {
              Blas.gemm(true, transA, n, k, m, 1f, g, 0, a.data(), 0, beta, b.gradBuffer(), 0);
            } else {
              Blas.gemm(!transA, false, k, n, m, 1f, a.data(), 0, g, 0, beta, b.gradBuffer(), 0);
            }
          }
        },
        a,
        b);
  }
}
