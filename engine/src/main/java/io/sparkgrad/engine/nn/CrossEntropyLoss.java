package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.CrossEntropy;
import io.sparkgrad.engine.ops.Reduction;

/**
 * Cross entropy of logits (N, C) against class indices (N), as {@code torch.nn.CrossEntropyLoss};
 * targets are float tensors holding integer indices. An optional {@code weight} per class scales
 * each row's loss by the weight of its class; the mean is then sum(w[t_i] * l_i) / sum(w[t_i]).
 */
public class CrossEntropyLoss extends Loss {
  private final float[] weight;

  public CrossEntropyLoss() {
    this(Reduction.MEAN);
  }

  public CrossEntropyLoss(Reduction reduction) {
    this(reduction, null);
  }

  /** With {@code weight}: one value per class (C), or null for none. */
  public CrossEntropyLoss(Reduction reduction, float[] weight) {
    super(reduction);
    this.weight = weight == null ? null : weight.clone();
  }

  @Override
  public Tensor apply(Tensor input, Tensor target) {
    return CrossEntropy.apply(input, target, reduction, weight);
  }
}
