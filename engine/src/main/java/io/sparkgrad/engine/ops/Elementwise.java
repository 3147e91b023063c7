package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;

/** Elementwise ops; each forward loop sits above the backward closure that undoes it. */
public final class Elementwise {
  private Elementwise() {}

  public static Tensor add(Tensor a, Tensor b) {
    Shapes.requireSameShape("add", a, b);
    float[] x = a.data();
    float[] y = b.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] + y[i];
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          passThrough(a, g, 1f);
          passThrough(b, g, 1f);
        },
        a,
        b);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    Shapes.requireSameShape("sub", a, b);
    float[] x = a.data();
    float[] y = b.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] - y[i];
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          passThrough(a, g, 1f);
          passThrough(b, g, -1f);
        },
        a,
        b);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    Shapes.requireSameShape("mul", a, b);
    float[] x = a.data();
    float[] y = b.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * y[i];
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          if (a.requiresGrad()) {
            float[] ga = new float[g.length];
            for (int i = 0; i < g.length; i++) {
              ga[i] = g[i] * y[i];
            }
            a.accumulateGrad(ga);
          }
          if (b.requiresGrad()) {
            float[] gb = new float[g.length];
            for (int i = 0; i < g.length; i++) {
              gb[i] = g[i] * x[i];
            }
            b.accumulateGrad(gb);
          }
        },
        a,
        b);
  }

  /** Adds a 1-D bias to every row of a 2-D tensor. */
  public static Tensor addRow(Tensor a, Tensor row) {
    Shapes.require2d("addRow", "input", a);
    int rows = a.size(0);
    int cols = a.size(1);
    if (row.dim() != 1 || row.size(0) != cols) {
      throw new IllegalArgumentException(
          "addRow: the row must be 1-D of length " + cols + "; got " + row.numel() + " values");
    }
    float[] x = a.data();
    float[] r = row.data();
    float[] out = new float[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = x[i * cols + j] + r[j];
      }
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          passThrough(a, g, 1f);
          if (row.requiresGrad()) {
            float[] gr = new float[cols];
            for (int i = 0; i < rows; i++) {
              for (int j = 0; j < cols; j++) {
                gr[j] += g[i * cols + j];
              }
            }
            row.accumulateGrad(gr);
          }
        },
        a,
        row);
  }

  public static Tensor relu(Tensor a) {
    float[] x = a.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      // Math.max compiles to a branch-free max; the sign pattern is ~50/50 and would mispredict.
      out[i] = Math.max(0f, x[i]);
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          // g is this output's gradient, dropped after this call: mask it in place and hand it on.
          for (int i = 0; i < g.length; i++) {
            // out >= +0; keep g where out != 0 by masking its bits, without a branch.
            int bits = Float.floatToRawIntBits(out[i]);
            int mask = (bits | -bits) >> 31;
            g[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & mask);
          }
          a.accumulateGrad(g);
        },
        a);
  }

  public static Tensor sigmoid(Tensor a) {
    return ofOutput(a, Elementwise::sigmoid, y -> y * (1f - y));
  }

  public static Tensor tanh(Tensor a) {
    return ofOutput(a, x -> (float) Math.tanh(x), y -> 1f - y * y);
  }

  /** An elementwise op whose derivative is cheapest written in terms of its output y = f(x). */
  private static Tensor ofOutput(Tensor a, FloatFunction f, FloatFunction derivativeAtOutput) {
    float[] x = a.data();
    float[] out = new float[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.apply(x[i]);
    }
    return Tensor.fromOp(
        out,
        a.shape(),
        g -> {
          float[] gx = new float[g.length];
          for (int i = 0; i < g.length; i++) {
            gx[i] = g[i] * derivativeAtOutput.apply(out[i]);
          }
          a.accumulateGrad(gx);
        },
        a);
  }

  @FunctionalInterface
  private interface FloatFunction {
    float apply(float v);
  }

  /** The logistic function, computed without overflow for large |x|. */
  public static float sigmoid(float x) {
    if (x >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }

  private static void passThrough(Tensor t, float[] g, float scale) {
    if (!t.requiresGrad()) {
      return;
    }
    float[] gt = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      gt[i] = scale * g[i];
    }
    t.accumulateGrad(gt);
  }
}
