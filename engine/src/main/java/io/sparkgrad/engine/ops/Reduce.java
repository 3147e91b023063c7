package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;
import java.util.Arrays;

/** Reductions of a whole tensor to a scalar. */
public final class Reduce {
  private Reduce() {}

  public static Tensor sum(Tensor a) {
    return reduce(a, 1f);
  }

  public static Tensor mean(Tensor a) {
    if (a.numel() == 0) {
      throw new IllegalArgumentException("mean of an empty tensor is undefined");
    }
    return reduce(a, 1f / a.numel());
  }

  private static Tensor reduce(Tensor a, float scale) {
    double acc = 0;
    for (float v : a.data()) {
      acc += v;
    }
    int n = a.numel();
    return Tensor.fromOp(
        new float[] {(float) (acc * scale)},
        new int[0],
        g -> {
          float[] ga = new float[n];
          Arrays.fill(ga, g[0] * scale);
          a.accumulateGrad(ga);
        },
        a);
  }
}
