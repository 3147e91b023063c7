package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.Nll;
import io.sparkgrad.engine.ops.Reduction;

/**
 * Negative log-likelihood of log-probabilities (N, C) against class indices (N), as {@code
 * torch.nn.NLLLoss}.
 */
public class NLLLoss extends Loss {
  public NLLLoss() {
    this(Reduction.MEAN);
  }

  public NLLLoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return Nll.apply(input, target, reduction);
  }
}
