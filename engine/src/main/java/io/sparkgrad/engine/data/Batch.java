package io.sparkgrad.engine.data;

import io.sparkgrad.engine.Tensor;

/** One mini-batch: inputs (B, d), targets (B) or (B, k), and sample weights (B) or null. */
public record Batch(Tensor inputs, Tensor targets, Tensor weights) {
  public int size() {
    return inputs.size(0);
  }
}
