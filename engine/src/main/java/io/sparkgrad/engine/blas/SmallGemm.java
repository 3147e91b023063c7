package io.sparkgrad.engine.blas;

/** Row-major GEMM in plain Java for shapes where a JNI call would cost more than the work. */
final class SmallGemm {
  private SmallGemm() {}

  static void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      float[] b,
      int bOff,
      float beta,
      float[] c,
      int cOff) {
    for (int i = 0; i < m; i++) {
      int cRow = cOff + i * n;
      for (int j = 0; j < n; j++) {
        float acc = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
          acc += av * bv;
        }
        float prior = beta == 0f ? 0f : beta * c[cRow + j];
        c[cRow + j] = alpha * acc + prior;
      }
    }
  }
}
