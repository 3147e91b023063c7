package io.sparkgrad.engine.data;

import io.sparkgrad.engine.Tensor;

/**
 * Rows of an inputs tensor (N, d) paired with a targets tensor (N) or (N, k), as {@code
 * torch.utils.data.TensorDataset}.
 */
public final class TensorDataset implements Dataset {
  private final Tensor inputs;
  private final Tensor targets;

  public TensorDataset(Tensor inputs, Tensor targets) {
    if (inputs.dim() != 2) {
      throw new IllegalArgumentException(
          "TensorDataset inputs must be 2-D (rows x features); got " + inputs.dim() + "-D");
    }
    if (targets.dim() == 0 || targets.size(0) != inputs.size(0)) {
      throw new IllegalArgumentException(
          "Size mismatch between tensors: inputs have "
              + inputs.size(0)
              + " rows, targets have "
              + (targets.dim() == 0 ? 0 : targets.size(0)));
    }
    this.inputs = inputs;
    this.targets = targets;
  }

  public Tensor inputs() {
    return inputs;
  }

  public Tensor targets() {
    return targets;
  }

  /** True when targets are 1-D, so batches hold a 1-D target tensor. */
  public boolean flatTargets() {
    return targets.dim() == 1;
  }

  @Override
  public int size() {
    return inputs.size(0);
  }

  @Override
  public int inputSize() {
    return inputs.size(1);
  }

  @Override
  public int targetSize() {
    return targets.cols();
  }

  @Override
  public void read(int index, float[] in, int inOff, float[] out, int outOff) {
    int d = inputSize();
    int k = targetSize();
    System.arraycopy(inputs.data(), index * d, in, inOff, d);
    System.arraycopy(targets.data(), index * k, out, outOff, k);
  }
}
