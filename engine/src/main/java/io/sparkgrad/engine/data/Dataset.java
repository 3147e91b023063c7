package io.sparkgrad.engine.data;

/**
 * A map-style dataset of rows, as {@code torch.utils.data.Dataset}, read straight into a batch's
 * float block so no per-row objects are made.
 */
public interface Dataset {
  /** Number of rows. */
  int size();

  /** Values per input row. */
  int inputSize();

  /** Values per target row (1 for a class index or a scalar). */
  int targetSize();

  /** Copies row {@code index} into the given arrays at the given offsets. */
  void read(int index, float[] inputs, int inputOffset, float[] targets, int targetOffset);

  /** True when rows carry sample weights. */
  default boolean hasWeights() {
    return false;
  }

  /** The sample weight of row {@code index}; 1 when the dataset has none. */
  default float weight(int index) {
    return 1f;
  }
}
