package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.ops.Reduction;

/** A criterion with PyTorch's {@code reduction}: mean (the default), sum or none. */
public abstract class Loss {
  protected final Reduction reduction;

  protected Loss(Reduction reduction) {
    if (reduction == null) {
      throw new IllegalArgumentException("reduction must be one of mean, sum, none; got null");
    }
    this.reduction = reduction;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** The loss of {@code input} against {@code target}, as calling the criterion in PyTorch. */
  public abstract Tensor apply(Tensor input, Tensor target);
}
