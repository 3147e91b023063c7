package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.Bce;
import io.sparkgrad.engine.ops.Reduction;

/** Binary cross entropy of probabilities in [0, 1], as {@code torch.nn.BCELoss}. */
public class BCELoss extends Loss {
  public BCELoss() {
    this(Reduction.MEAN);
  }

  public BCELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return Bce.apply(input, target, reduction);
  }
}
