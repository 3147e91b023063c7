package io.sparkgrad.engine.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

/**
 * The one door to BLAS. Row-major float32 GEMM goes to dev.ludovic.netlib: native OpenBLAS through
 * JNI when the system has it ({@code libopenblas0-pthread} on Debian), its Java implementation
 * otherwise. Shapes too small to repay a JNI call (about 160 ns) stay in a plain Java loop.
 *
 * <p>Threads: OpenBLAS reads {@code OPENBLAS_NUM_THREADS} once when it loads. Data-parallel
 * training already uses every core through Spark tasks, so set it to 1 (the README's launcher, the
 * build's tests and {@code spark.executorEnv.OPENBLAS_NUM_THREADS=1} do); two BLAS threads per task
 * oversubscribe the cores and run slower.
 *
 * <p>{@code -Dsparkgrad.blas=java} forces the Java backend, for comparison and for machines whose
 * native library misbehaves.
 */
public final class Blas {
  /** GEMMs with at most this many multiply-adds run in the Java loop. */
  public static final long SMALL_GEMM_MACS = 4096;

  private static final BLAS BLAS_IMPL = choose();

  private Blas() {}

  private static BLAS choose() {
    String forced = System.getProperty("sparkgrad.blas", "auto");
    switch (forced) {
      case "java":
        return JavaBLAS.getInstance();
      case "auto":
        return BLAS.getInstance();
      default:
        throw new IllegalArgumentException(
            "System property sparkgrad.blas="
                + forced
                + " is not supported; use auto (native when available) or java.");
    }
  }

  /** The netlib implementation in use, e.g. JNIBLAS (native), VectorBLAS or Java11BLAS. */
  public static String backend() {
    return BLAS_IMPL.getClass().getSimpleName();
  }

  /** True when GEMMs run in a native library. */
  public static boolean isNative() {
    return backend().equals("JNIBLAS");
  }

  /**
   * Row-major {@code C = alpha * op(A) * op(B) + beta * C}, with op(A) of shape m x k and op(B) of
   * shape k x n. A is stored m x k (k x m when {@code transA}); B is stored k x n (n x k when
   * {@code transB}); C is m x n. Nothing is copied to transpose.
   */
  public static void gemm(
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
    checkGemm(m, n, k, a, aOff, b, bOff, c, cOff);
    if (m == 0 || n == 0) {
      return;
    }
    if ((long) m * n * k <= SMALL_GEMM_MACS) {
      SmallGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
      return;
    }
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
    BLAS_IMPL.sgemm(
        transB ? "T" : "N",
        transA ? "T" : "N",
        n,
        m,
        k,
        alpha,
        b,
        bOff,
        ldb,
        a,
        aOff,
        lda,
        beta,
        c,
        cOff,
        n);
  }

  private static void checkGemm(
      int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "GEMM sizes must be >= 0; got m=" + m + ", n=" + n + ", k=" + k);
    }
    requireLength("A", a, aOff, (long) m * k);
    requireLength("B", b, bOff, (long) k * n);
    requireLength("C", c, cOff, (long) m * n);
    if (c == a || c == b) {
      throw new IllegalArgumentException("GEMM output C must not alias an input");
    }
  }

  private static void requireLength(String name, float[] x, int off, long needed) {
    if (off < 0 || off + needed > x.length) {
      throw new IllegalArgumentException(
          "GEMM operand "
              + name
              + " needs "
              + needed
              + " values from offset "
              + off
              + " but has length "
              + x.length);
    }
  }
}
