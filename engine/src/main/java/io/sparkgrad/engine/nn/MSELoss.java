package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.Mse;
import io.sparkgrad.engine.ops.Reduction;

/** Mean squared error, as {@code torch.nn.MSELoss}. */
public class MSELoss extends Loss {
  public MSELoss() {
    this(Reduction.MEAN);
  }

  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return Mse.apply(input, target, reduction);
  }
}
