package io.sparkgrad.engine.data;

import io.sparkgrad.engine.Tensor;

/** One mini-batch: inputs (B, d) and targets (B) or (B, k). */
public record Batch(Tensor inputs, Tensor targets) {
  public int size() {
    return inputs.size(0);
  }
}
