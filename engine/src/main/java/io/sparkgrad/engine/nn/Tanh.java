package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;

/** tanh(x), as {@code torch.nn.Tanh}. */
public class Tanh extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.tanh();
  }
}
