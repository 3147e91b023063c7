package io.sparkgrad.engine.ops;

import io.sparkgrad.engine.Tensor;
import java.util.Arrays;

/** Shape checks shared by the ops, each failing with the op, the operand and both shapes. */
final class Shapes {
  private Shapes() {}

  static void require2d(String op, String name, Tensor t) {
    if (t.dim() != 2) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be 2-D (batch x features); got shape "
              + Arrays.toString(t.shape()));
    }
  }

  static void requireSameShape(String op, Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalArgumentException(
          op
              + ": shapes must be equal; got "
              + Arrays.toString(a.shape())
              + " and "
              + Arrays.toString(b.shape()));
    }
  }
}
