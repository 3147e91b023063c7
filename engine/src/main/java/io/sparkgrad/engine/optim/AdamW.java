package io.sparkgrad.engine.optim;

import io.sparkgrad.engine.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: the decay shrinks the weights
 * directly instead of entering the gradient. PyTorch's default weight decay is 0.01.
 */
public class AdamW extends Adam {
  /** {@code torch.optim.AdamW}'s default {@code weight_decay}. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;

  /** PyTorch's {@code AdamW(params, lr)}: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
  public AdamW(List<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, DEFAULT_WEIGHT_DECAY);
  }

  public AdamW(
      List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
    super(params, lr, beta1, beta2, eps, weightDecay, true);
  }
}
