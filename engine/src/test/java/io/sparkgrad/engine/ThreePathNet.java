package io.sparkgrad.engine;

import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.Module;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.nn.Tanh;
import io.sparkgrad.engine.ops.Elementwise;

/**
 * A model whose parameters are reached through every gradient write path: GEMM (weights), the bias
 * column sum, and elementwise accumulation (a learned per-feature scale).
 */
final class ThreePathNet extends Module {
  final Sequential body;
  final Tensor scale;

  ThreePathNet(int in, int hidden, int out, long seed) {
    Generator g = new Generator(seed);
    body =
        register(
            "body",
            new Sequential(new Linear(in, hidden, g), new Tanh(), new Linear(hidden, out, g)));
    float[] s = new float[out];
    for (int i = 0; i < out; i++) {
      s[i] = g.uniform(0.5f, 1.5f);
    }
    scale = registerParameter("scale", Tensor.of(s, out));
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor y = body.forward(x);
    // mul needs equal shapes: tile the scale over the rows by adding it to zeros.
    Tensor tiled = Elementwise.addRow(Tensor.zeros(y.shape()), scale);
    return y.mul(tiled);
  }

  /** A rows x cols batch of uniform(-1, 1) values drawn from {@code seed}. */
  static Tensor batch(long seed, int rows, int cols) {
    Generator g = new Generator(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = g.uniform(-1, 1);
    }
    return Tensor.of(v, rows, cols);
  }
}
