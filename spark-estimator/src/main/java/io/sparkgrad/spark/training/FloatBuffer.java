package io.sparkgrad.spark.training;

import java.util.Arrays;

/** A growable float array; {@link #toArray()} trims it so packed data costs its float32 size. */
final class FloatBuffer {
  private float[] data = new float[1024];
  private int size;

  void add(float v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, Math.max(1024, data.length + (data.length >> 1)));
    }
    data[size++] = v;
  }

  /** Drops values past {@code n}, undoing a row that failed its checks half-way. */
  void truncate(int n) {
    size = n;
  }

  int size() {
    return size;
  }

  float[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
