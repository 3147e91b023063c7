package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;
import java.util.Locale;

/** How a loss combines its per-item values, as PyTorch's {@code reduction}: mean, sum or none. */
public enum Reduction {
  MEAN,
  SUM,
  NONE;

  /** Parses PyTorch's spelling ("mean", "sum", "none"). */
  public static Reduction parse(String name) {
    for (Reduction r : values()) {
      if (r.name().toLowerCase(Locale.ROOT).equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        name + " is not a valid value for reduction; expected one of mean, sum, none");
  }

  /** Gradient of the input given the upstream weight of each item's loss. */
  @FunctionalInterface
  interface ItemBackward {
    float[] apply(float[] itemWeights);
  }

  /** Reduces per-item losses and wires the backward through the item weights. */
  Tensor finish(Tensor input, float[] items, int[] itemShape, ItemBackward backward) {
    int n = items.length;
    if (this == NONE) {
      return Tensor.fromOp(items, itemShape, g -> input.accumulateGrad(backward.apply(g)), input);
    }
    double acc = 0;
    for (float v : items) {
      acc += v;
    }
    // PyTorch's mean over zero items is NaN; keep that rather than invent a value.
    float scale = this == MEAN ? 1f / n : 1f;
    float value = this == MEAN ? (float) (acc / n) : (float) acc;
    return Tensor.fromOp(
        new float[] {value},
        new int[0],
        g -> {
          float[] w = new float[n];
          java.util.Arrays.fill(w, g[0] * scale);
          input.accumulateGrad(backward.apply(w));
        },
        input);
  }
}
