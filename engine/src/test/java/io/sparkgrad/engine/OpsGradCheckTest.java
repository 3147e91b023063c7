package io.sparkgrad.engine;

import static io.sparkgrad.engine.GradCheck.awayFromZero;
import static io.sparkgrad.engine.GradCheck.size;
import static io.sparkgrad.engine.GradCheck.uniform;

import io.sparkgrad.engine.ops.Elementwise;
import io.sparkgrad.engine.ops.LinearOp;
import io.sparkgrad.engine.ops.MatMul;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every op's forward and gradient against a float64 reference, over random shapes from several
 * seeds. "Large" shapes have more than {@link io.sparkgrad.engine.blas.Blas#SMALL_GEMM_MACS}
 * multiply-adds, so their forward and backward GEMMs take the netlib path, the small ones the Java
 * loop.
 */
class OpsGradCheckTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void matmulAllTransposes(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (boolean large : new boolean[] {false, true}) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          int m = large ? size(rng, 16, 24) : size(rng, 1, 6);
          int n = large ? size(rng, 16, 24) : size(rng, 1, 6);
          int k = large ? size(rng, 17, 25) : size(rng, 1, 6);
          int[] aShape = transA ? new int[] {k, m} : new int[] {m, k};
          int[] bShape = transB ? new int[] {n, k} : new int[] {k, n};
          GradCheck.named(
                  String.format(
                      "matmul(transA=%b, transB=%b, m=%d n=%d k=%d)", transA, transB, m, n, k))
              .input(uniform(rng, m * k, -1, 1), aShape)
              .input(uniform(rng, k * n, -1, 1), bShape)
              .check(
                  rng,
                  t -> MatMul.apply(t[0], t[1], transA, transB),
                  v -> Reference.matmul(v[0], v[1], m, n, k, transA, transB));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void tensorMatmulIsThePlainProduct(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int m = size(rng, 1, 5);
    int n = size(rng, 1, 5);
    int k = size(rng, 1, 5);
    GradCheck.named("a.matmul(b)")
        .input(uniform(rng, m * k, -1, 1), m, k)
        .input(uniform(rng, k * n, -1, 1), k, n)
        .check(
            rng, t -> t[0].matmul(t[1]), v -> Reference.matmul(v[0], v[1], m, n, k, false, false));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void linearWithAndWithoutBias(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (boolean large : new boolean[] {false, true}) {
      int batch = large ? size(rng, 16, 24) : size(rng, 1, 6);
      int in = large ? size(rng, 16, 24) : size(rng, 1, 6);
      int out = large ? size(rng, 17, 25) : size(rng, 1, 6);
      double[] x = uniform(rng, batch * in, -1, 1);
      double[] w = uniform(rng, out * in, -1, 1);
      double[] b = uniform(rng, out, -1, 1);
      String shape = String.format("(batch=%d, in=%d, out=%d)", batch, in, out);
      GradCheck.named("linear with bias " + shape)
          .input(x, batch, in)
          .input(w, out, in)
          .input(b, out)
          .check(
              rng,
              t -> LinearOp.apply(t[0], t[1], t[2]),
              v -> Reference.linear(v[0], v[1], v[2], batch, in, out));
      GradCheck.named("linear without bias " + shape)
          .input(x, batch, in)
          .input(w, out, in)
          .check(
              rng,
              t -> LinearOp.apply(t[0], t[1], null),
              v -> Reference.linear(v[0], v[1], null, batch, in, out));
      // A first layer: the data takes no gradient, only the parameters do.
      GradCheck.named("linear on constant input " + shape)
          .constant(x, batch, in)
          .input(w, out, in)
          .input(b, out)
          .check(
              rng,
              t -> LinearOp.apply(t[0], t[1], t[2]),
              v -> Reference.linear(v[0], v[1], v[2], batch, in, out));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void addSubMulAddRow(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 6);
    double[] a = uniform(rng, rows * cols, -2, 2);
    double[] b = uniform(rng, rows * cols, -2, 2);
    GradCheck.named("add")
        .input(a, rows, cols)
        .input(b, rows, cols)
        .check(rng, t -> t[0].add(t[1]), v -> Reference.add(v[0], v[1]));
    GradCheck.named("sub")
        .input(a, rows, cols)
        .input(b, rows, cols)
        .check(rng, t -> t[0].sub(t[1]), v -> Reference.sub(v[0], v[1]));
    GradCheck.named("mul")
        .input(a, rows, cols)
        .input(b, rows, cols)
        .check(rng, t -> t[0].mul(t[1]), v -> Reference.mul(v[0], v[1]));
    GradCheck.named("sub with a constant subtrahend")
        .input(a, rows, cols)
        .constant(b, rows, cols)
        .check(rng, t -> t[0].sub(t[1]), v -> Reference.sub(v[0], v[1]));
    GradCheck.named("mul of 1-D")
        .input(a, rows * cols)
        .input(b, rows * cols)
        .check(rng, t -> t[0].mul(t[1]), v -> Reference.mul(v[0], v[1]));
    GradCheck.named("addRow")
        .input(a, rows, cols)
        .input(uniform(rng, cols, -2, 2), cols)
        .check(rng, t -> Elementwise.addRow(t[0], t[1]), v -> Reference.addRow(v[0], v[1]));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void activations(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 6);
    int n = rows * cols;
    // ReLU's kink at 0 has no derivative; keep finite differences clear of it.
    GradCheck.named("relu")
        .input(awayFromZero(rng, n, 0.01, 3), rows, cols)
        .check(rng, t -> t[0].relu(), v -> Reference.relu(v[0]));
    GradCheck.named("sigmoid")
        .input(uniform(rng, n, -6, 6), rows, cols)
        .check(rng, t -> t[0].sigmoid(), v -> Reference.sigmoid(v[0]));
    GradCheck.named("tanh")
        .input(uniform(rng, n, -3, 3), rows, cols)
        .check(rng, t -> t[0].tanh(), v -> Reference.tanh(v[0]));
    GradCheck.named("sigmoid of 1-D")
        .input(uniform(rng, n, -6, 6), n)
        .check(rng, t -> t[0].sigmoid(), v -> Reference.sigmoid(v[0]));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void softmaxAndLogSoftmax(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 7);
    double[] x = uniform(rng, rows * cols, -4, 4);
    GradCheck.named("softmax over rows")
        .input(x, rows, cols)
        .check(rng, t -> t[0].softmax(), v -> Reference.softmax(v[0], cols));
    GradCheck.named("logSoftmax over rows")
        .input(x, rows, cols)
        .check(rng, t -> t[0].logSoftmax(), v -> Reference.logSoftmax(v[0], cols));
    GradCheck.named("softmax of 1-D")
        .input(x, rows * cols)
        .check(rng, t -> t[0].softmax(), v -> Reference.softmax(v[0], rows * cols));
    GradCheck.named("logSoftmax of 1-D")
        .input(x, rows * cols)
        .check(rng, t -> t[0].logSoftmax(), v -> Reference.logSoftmax(v[0], rows * cols));
    // Shifted far from zero: both must subtract the row maximum before exponentiating. An ulp of
    // 80 in float32 is 7.6e-6, which the subtraction x - logsumexp(x) keeps as absolute error.
    double[] shifted = x.clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] += 80;
    }
    GradCheck.named("logSoftmax of large logits")
        .forwardTolerance(1e-3)
        .input(shifted, rows, cols)
        .check(rng, t -> t[0].logSoftmax(), v -> Reference.logSoftmax(v[0], cols));
    GradCheck.named("softmax of large logits")
        .input(shifted, rows, cols)
        .check(rng, t -> t[0].softmax(), v -> Reference.softmax(v[0], cols));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void sumAndMean(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 6);
    int cols = size(rng, 1, 6);
    double[] x = uniform(rng, rows * cols, -2, 2);
    GradCheck.named("sum")
        .input(x, rows, cols)
        .check(rng, t -> t[0].sum(), v -> Reference.sum(v[0]));
    GradCheck.named("mean")
        .input(x, rows, cols)
        .check(rng, t -> t[0].mean(), v -> Reference.mean(v[0]));
    GradCheck.named("mean of 1-D")
        .input(x, rows * cols)
        .check(rng, t -> t[0].mean(), v -> Reference.mean(v[0]));
    GradCheck.named("sum of a scalar")
        .input(new double[] {x[0]})
        .check(rng, t -> t[0].sum(), v -> Reference.sum(v[0]));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void composedNetwork(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int batch = size(rng, 2, 6);
    int in = size(rng, 2, 5);
    int hidden = size(rng, 2, 5);
    int out = size(rng, 2, 4);
    GradCheck.named("tanh(x W1^T + b1) W2^T + b2, log-softmax, mean")
        .constant(uniform(rng, batch * in, -1, 1), batch, in)
        .input(uniform(rng, hidden * in, -1, 1), hidden, in)
        .input(uniform(rng, hidden, -1, 1), hidden)
        .input(uniform(rng, out * hidden, -1, 1), out, hidden)
        .input(uniform(rng, out, -1, 1), out)
        .check(
            rng,
            t ->
                LinearOp.apply(LinearOp.apply(t[0], t[1], t[2]).tanh(), t[3], t[4])
                    .logSoftmax()
                    .mean(),
            v ->
                Reference.mean(
                    Reference.logSoftmax(
                        Reference.linear(
                            Reference.tanh(Reference.linear(v[0], v[1], v[2], batch, in, hidden)),
                            v[3],
                            v[4],
                            batch,
                            hidden,
                            out),
                        out)));
  }
}
