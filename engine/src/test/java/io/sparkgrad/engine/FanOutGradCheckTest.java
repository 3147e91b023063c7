package io.sparkgrad.engine;

import static io.sparkgrad.engine.GradCheck.size;
import static io.sparkgrad.engine.GradCheck.uniform;

import io.sparkgrad.engine.ops.LinearOp;
import io.sparkgrad.engine.ops.MatMul;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tensor used more than once must receive the sum of every use's gradient. Each case reaches the
 * same leaf through two paths, including both GEMM write paths (beta 0, then beta 1 into the same
 * buffer) and both accumulation paths (adopted array, then +=).
 */
class FanOutGradCheckTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void elementwiseSelfUse(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = size(rng, 1, 5);
    int cols = size(rng, 1, 5);
    double[] x = uniform(rng, rows * cols, -2, 2);
    GradCheck.named("x * x")
        .input(x, rows, cols)
        .check(rng, t -> t[0].mul(t[0]), v -> Reference.mul(v[0], v[0]));
    GradCheck.named("x + x")
        .input(x, rows, cols)
        .check(rng, t -> t[0].add(t[0]), v -> Reference.add(v[0], v[0]));
    GradCheck.named("x - x")
        .input(x, rows, cols)
        .check(rng, t -> t[0].sub(t[0]), v -> Reference.sub(v[0], v[0]));
    GradCheck.named("sigmoid(x) * tanh(sigmoid(x)) + x, a diamond")
        .input(x, rows, cols)
        .check(
            rng,
            t -> {
              Tensor h = t[0].sigmoid();
              return h.mul(h.tanh()).add(t[0]);
            },
            v -> {
              double[] h = Reference.sigmoid(v[0]);
              return Reference.add(Reference.mul(h, Reference.tanh(h)), v[0]);
            });
    GradCheck.named("sum(x) * mean(x) through two scalars")
        .input(x, rows, cols)
        .check(
            rng,
            t -> t[0].sum().mul(t[0].mean()),
            v -> Reference.mul(Reference.sum(v[0]), Reference.mean(v[0])));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void matmulOfATensorWithItself(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (boolean large : new boolean[] {false, true}) {
      int m = large ? size(rng, 17, 22) : size(rng, 1, 5);
      int k = large ? size(rng, 17, 22) : size(rng, 1, 5);
      double[] x = uniform(rng, m * k, -1, 1);
      GradCheck.named("x @ x^T, m=" + m + " k=" + k)
          .input(x, m, k)
          .check(
              rng,
              t -> MatMul.apply(t[0], t[0], false, true),
              v -> Reference.matmul(v[0], v[0], m, m, k, false, true));
      GradCheck.named("x^T @ x, m=" + m + " k=" + k)
          .input(x, m, k)
          .check(
              rng,
              t -> MatMul.apply(t[0], t[0], true, false),
              v -> Reference.matmul(v[0], v[0], k, k, m, true, false));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void linearAppliedTwice(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (boolean large : new boolean[] {false, true}) {
      int batch = large ? size(rng, 16, 20) : size(rng, 1, 5);
      int n = large ? size(rng, 16, 20) : size(rng, 1, 5);
      GradCheck.named("tanh(linear(tanh(linear(x)))) with one weight, n=" + n)
          .input(uniform(rng, batch * n, -1, 1), batch, n)
          .input(uniform(rng, n * n, -0.5, 0.5), n, n)
          .input(uniform(rng, n, -0.5, 0.5), n)
          .check(
              rng,
              t -> LinearOp.apply(LinearOp.apply(t[0], t[1], t[2]).tanh(), t[1], t[2]).tanh(),
              v ->
                  Reference.tanh(
                      Reference.linear(
                          Reference.tanh(Reference.linear(v[0], v[1], v[2], batch, n, n)),
                          v[1],
                          v[2],
                          batch,
                          n,
                          n)));
      // The weight reached through a GEMM (gradBeta) and through mul (accumulateGrad).
      GradCheck.named("linear(x, W) * W with W used by two kinds of op, n=" + n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .check(
              rng,
              t -> LinearOp.apply(t[0], t[1], null).mul(t[1]),
              v -> Reference.mul(Reference.linear(v[0], v[1], null, n, n, n), v[1]));
      // The other order: the GEMM writes W's gradient first (beta 0), then mul adds to it.
      GradCheck.named("linear(x * W, W), n=" + n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .check(
              rng,
              t -> LinearOp.apply(t[0].mul(t[1]), t[1], null),
              v -> Reference.linear(Reference.mul(v[0], v[1]), v[1], null, n, n, n));
      // An intermediate: add adopts its gradient array, then the GEMM adds into it (beta 1).
      GradCheck.named("linear(tanh(x), W) + tanh(x), n=" + n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .input(uniform(rng, n * n, -1, 1), n, n)
          .check(
              rng,
              t -> {
                Tensor h = t[0].tanh();
                return LinearOp.apply(h, t[1], null).add(h);
              },
              v -> {
                double[] h = Reference.tanh(v[0]);
                return Reference.add(Reference.linear(h, v[1], null, n, n, n), h);
              });
    }
  }
}
