package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.BceWithLogits;
import io.sparkgrad.engine.ops.Reduction;

/** Sigmoid and binary cross entropy fused, as {@code torch.nn.BCEWithLogitsLoss}. */
public class BCEWithLogitsLoss extends Loss {
  public BCEWithLogitsLoss() {
    this(Reduction.MEAN);
  }

  public BCEWithLogitsLoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return BceWithLogits.apply(input, target, reduction);
  }
}
