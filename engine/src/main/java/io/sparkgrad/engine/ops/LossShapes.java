package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.GradMode;
import io.sparkgrad.engine.Tensor;
import java.util.Arrays;

/** Input/target checks shared by the losses. */
final class LossShapes {
  private LossShapes() {}

  static void requireSame(String loss, Tensor input, Tensor target) {
    requireConstantTarget(loss, target);
    if (!Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException(
          loss
              + ": target shape "
              + Arrays.toString(target.shape())
              + " must equal input shape "
              + Arrays.toString(input.shape())
              + "; reshape the target (e.g. a column of N x 1 for one output).");
    }
  }

  /**
   * The losses differentiate with respect to their input only; a target that requires a gradient
   * would silently receive none, so it is refused (as PyTorch refuses one for BCELoss).
   */
  private static void requireConstantTarget(String loss, Tensor target) {
    if (target.requiresGrad() && GradMode.isEnabled()) {
      throw new IllegalArgumentException(
          loss
              + ": the target requires a gradient, but losses only propagate to their input; "
              + "pass target.detach(), or swap the arguments if the target is the prediction.");
    }
  }

  /** Checks (N, C) input against N class indices in [0, C) and returns the indices. */
  static int[] classIndices(String loss, Tensor input, Tensor target) {
    requireConstantTarget(loss, target);
    Shapes.require2d(loss, "input", input);
    int rows = input.size(0);
    int classes = input.size(1);
    if (target.dim() != 1 || target.size(0) != rows) {
      throw new IllegalArgumentException(
          loss
              + ": target must be 1-D with one class index per row ("
              + rows
              + "); got shape "
              + Arrays.toString(target.shape()));
    }
    int[] idx = new int[rows];
    float[] t = target.data();
    for (int i = 0; i < rows; i++) {
      float v = t[i];
      if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
        throw new IllegalArgumentException(
            loss
                + ": target at row "
                + i
                + " is "
                + v
                + "; expected an integer class index in [0, "
                + classes
                + ")");
      }
      idx[i] = (int) v;
    }
    return idx;
  }
}
