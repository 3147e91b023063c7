package io.sparkgrad.engine;

/**
 * Float64 reference forwards for the gradient checks, written from the textbook formulas and
 * PyTorch's documentation, independently of the engine's float32 kernels. Matrices are row-major.
 */
public final class Reference {
  private Reference() {}

  /** op(A) @ op(B), with A stored m x k (k x m when transA) and B k x n (n x k when transB). */
  public static double[] matmul(
      double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = transA ? a[p * m + i] : a[i * k + p];
          double bv = transB ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  /** x (batch, in) @ W^T + b with W (out, in); {@code b} may be null. */
  public static double[] linear(double[] x, double[] w, double[] b, int batch, int in, int out) {
    double[] y = matmul(x, w, batch, out, in, false, true);
    if (b != null) {
      for (int r = 0; r < batch; r++) {
        for (int j = 0; j < out; j++) {
          y[r * out + j] += b[j];
        }
      }
    }
    return y;
  }

  public static double[] add(double[] a, double[] b) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] + b[i];
    }
    return o;
  }

  public static double[] sub(double[] a, double[] b) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] - b[i];
    }
    return o;
  }

  public static double[] mul(double[] a, double[] b) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] * b[i];
    }
    return o;
  }

  public static double[] addRow(double[] a, double[] row) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] + row[i % row.length];
    }
    return o;
  }

  public static double[] relu(double[] a) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] > 0 ? a[i] : 0;
    }
    return o;
  }

  public static double[] sigmoid(double[] a) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = 1 / (1 + Math.exp(-a[i]));
    }
    return o;
  }

  public static double[] tanh(double[] a) {
    double[] o = new double[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = Math.tanh(a[i]);
    }
    return o;
  }

  public static double[] sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return new double[] {s};
  }

  public static double[] mean(double[] a) {
    return new double[] {sum(a)[0] / a.length};
  }

  /** Log-softmax of each row of {@code cols} values. */
  public static double[] logSoftmax(double[] a, int cols) {
    double[] o = new double[a.length];
    for (int r = 0; r < a.length; r += cols) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, a[r + j]);
      }
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += Math.exp(a[r + j] - max);
      }
      double lse = max + Math.log(s);
      for (int j = 0; j < cols; j++) {
        o[r + j] = a[r + j] - lse;
      }
    }
    return o;
  }

  public static double[] softmax(double[] a, int cols) {
    double[] o = logSoftmax(a, cols);
    for (int i = 0; i < o.length; i++) {
      o[i] = Math.exp(o[i]);
    }
    return o;
  }

  /** Reduces per-item losses as PyTorch's reduction "mean", "sum" or "none". */
  public static double[] reduce(double[] items, String reduction) {
    switch (reduction) {
      case "mean":
        return mean(items);
      case "sum":
        return sum(items);
      case "none":
        return items;
      default:
        throw new IllegalArgumentException(reduction);
    }
  }

  public static double[] mse(double[] x, double[] y) {
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (x[i] - y[i]) * (x[i] - y[i]);
    }
    return o;
  }

  /** Binary cross entropy of probabilities, each log clamped at -100 as PyTorch does. */
  public static double[] bce(double[] p, double[] y) {
    double[] o = new double[p.length];
    for (int i = 0; i < o.length; i++) {
      double logP = Math.max(Math.log(p[i]), -100);
      double log1mP = Math.max(Math.log(1 - p[i]), -100);
      o[i] = -(y[i] * logP + (1 - y[i]) * log1mP);
    }
    return o;
  }

  /** Binary cross entropy of sigmoid(x), written as the plain composition. */
  public static double[] bceWithLogits(double[] x, double[] y) {
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      // log(sigmoid(x)) = -log(1 + e^-x); log(1 - sigmoid(x)) = -log(1 + e^x).
      o[i] = y[i] * Math.log1p(Math.exp(-x[i])) + (1 - y[i]) * Math.log1p(Math.exp(x[i]));
    }
    return o;
  }

  /** -log-probability of each row's target class. */
  public static double[] nll(double[] logProbs, double[] target, int cols) {
    double[] o = new double[target.length];
    for (int r = 0; r < o.length; r++) {
      o[r] = -logProbs[r * cols + (int) target[r]];
    }
    return o;
  }

  public static double[] crossEntropy(double[] logits, double[] target, int cols) {
    return nll(logSoftmax(logits, cols), target, cols);
  }
}
