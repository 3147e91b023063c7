package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.CrossEntropy;
import io.sparkgrad.engine.ops.Reduction;

/**
 * Cross entropy of logits (N, C) against class indices (N), as {@code torch.nn.CrossEntropyLoss};
 * targets are float tensors holding integer indices.
 */
public class CrossEntropyLoss extends Loss {
  public CrossEntropyLoss() {
    this(Reduction.MEAN);
  }

  public CrossEntropyLoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return CrossEntropy.apply(input, target, reduction);
  }
}
