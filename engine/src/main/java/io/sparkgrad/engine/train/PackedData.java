package io.sparkgrad.engine.train;

import io.sparkgrad.engine.data.Dataset;

/**
 * Rows packed once into contiguous float32 blocks: inputs n x d, targets n x k, optional weights n.
 * This is how a Spark partition hands its data to the engine.
 */
public record PackedData(int rows, int inputSize, int targetSize, float[] x, float[] y, float[] w)
    implements Dataset {
  public PackedData {
    if ((long) rows * inputSize != x.length || (long) rows * targetSize != y.length) {
      throw new IllegalArgumentException(
          "Packed blocks do not match "
              + rows
              + " rows of "
              + inputSize
              + " inputs and "
              + targetSize
              + " targets");
    }
    if (w != null && w.length != rows) {
      throw new IllegalArgumentException(
          "Packed weights have " + w.length + " values for " + rows + " rows");
    }
  }

  @Override
  public int size() {
    return rows;
  }

  @Override
  public void read(int index, float[] inputs, int inOff, float[] targets, int outOff) {
    System.arraycopy(x, index * inputSize, inputs, inOff, inputSize);
    System.arraycopy(y, index * targetSize, targets, outOff, targetSize);
  }

  @Override
  public boolean hasWeights() {
    return w != null;
  }

  @Override
  public float weight(int index) {
    return w == null ? 1f : w[index];
  }
}
