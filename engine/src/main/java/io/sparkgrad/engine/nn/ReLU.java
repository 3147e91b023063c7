package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;

/** max(0, x), as {@code torch.nn.ReLU}. */
public class ReLU extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.relu();
  }
}
