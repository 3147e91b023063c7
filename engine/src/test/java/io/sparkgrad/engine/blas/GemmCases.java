package io.sparkgrad.engine.blas;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GEMM cases checked against one naive float64 product, shared by the in-process tests and the
 * forked JVM that runs them on the Java BLAS backend. Each case puts its operands at an offset
 * inside larger arrays, so a kernel that ignores an offset or writes outside C is caught.
 */
final class GemmCases {
  private GemmCases() {}

  /** A failed comparison, described for the test report. */
  static final class Mismatch extends AssertionError {
    Mismatch(String message) {
      super(message);
    }
  }

  record Shape(int m, int n, int k) {
    long macs() {
      return (long) m * n * k;
    }
  }

  /** Shapes under the Java-loop threshold, over it, and degenerate ones. */
  static List<Shape> shapes(SplittableRandom rng) {
    List<Shape> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(new Shape(1 + rng.nextInt(6), 1 + rng.nextInt(6), 1 + rng.nextInt(6)));
    }
    out.add(new Shape(1, 1, 1));
    out.add(new Shape(16, 16, 16)); // exactly the threshold: still the Java loop
    out.add(new Shape(16, 16, 17)); // one row of work over it: netlib
    for (int i = 0; i < 3; i++) {
      out.add(new Shape(20 + rng.nextInt(50), 20 + rng.nextInt(50), 20 + rng.nextInt(50)));
    }
    out.add(new Shape(1, 300, 64)); // a single-row batch through a layer
    out.add(new Shape(0, 5, 3));
    out.add(new Shape(4, 5, 0)); // no inner dimension: C = beta * C
    return out;
  }

  interface Gemm {
    void apply(
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
        int cOff);
  }

  /** Runs every shape, transpose pair and (alpha, beta) through {@code gemm}; returns the count. */
  static int runAll(Gemm gemm, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int count = 0;
    float[][] scalars = {{1f, 0f}, {-0.5f, 1f}, {1.5f, 0.75f}};
    for (Shape s : shapes(rng)) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          for (float[] ab : scalars) {
            check(gemm, rng, s, transA, transB, ab[0], ab[1]);
            count++;
          }
        }
      }
    }
    return count;
  }

  static void check(
      Gemm gemm,
      SplittableRandom rng,
      Shape s,
      boolean transA,
      boolean transB,
      float alpha,
      float beta) {
    int m = s.m();
    int n = s.n();
    int k = s.k();
    int aOff = rng.nextInt(4);
    int bOff = rng.nextInt(4);
    int cOff = rng.nextInt(4);
    float[] a = random(rng, aOff + m * k + 3);
    float[] b = random(rng, bOff + k * n + 3);
    float[] c = random(rng, cOff + m * n + 3);
    float[] c0 = c.clone();
    if (beta == 0f) {
      // BLAS semantics: with beta 0, C is output only, so whatever it held must not leak in.
      for (int i = 0; i < m * n; i++) {
        c[cOff + i] = Float.NaN;
      }
    }
    gemm.apply(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
    String where =
        String.format(
            "gemm(transA=%b, transB=%b, m=%d, n=%d, k=%d, alpha=%s, beta=%s)",
            transA, transB, m, n, k, alpha, beta);
    for (int i = 0; i < c.length; i++) {
      if ((i < cOff || i >= cOff + m * n)
          && Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(c0[i])) {
        throw new Mismatch(where + " wrote outside C at index " + i);
      }
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
          double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          double bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
          exact += av * bv;
          magnitude += Math.abs(av * bv);
        }
        double prior = beta == 0f ? 0 : (double) beta * c0[cOff + i * n + j];
        double expected = alpha * exact + prior;
        // Any float32 summation order is within (k + 2) unit roundoffs of the magnitudes.
        double bound = (k + 2) * 0x1p-24 * (Math.abs(alpha) * magnitude + Math.abs(prior)) + 1e-30;
        float got = c[cOff + i * n + j];
        if (!(Math.abs(got - expected) <= bound)) {
          throw new Mismatch(
              String.format(
                  "%s: C[%d][%d] is %s, expected %s (bound %.3g)",
                  where, i, j, got, expected, bound));
        }
      }
    }
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }
}
