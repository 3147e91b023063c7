package io.sparkgrad.engine.io;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes: its dimensions (for MNIST images {@code [count,
 * rows, cols]}, for labels {@code [count]}) and the values, row-major.
 */
public final class IdxFile {
  private final int[] dims;
  private final byte[] data;

  IdxFile(int[] dims, byte[] data) {
    this.dims = dims;
    this.data = data;
  }

  /** The dimensions as stored in the header; a copy. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Values per item: the product of the dimensions after the first (rows*cols for images). */
  public int itemSize() {
    int size = 1;
    for (int d = 1; d < dims.length; d++) {
      size *= dims[d]; // cannot overflow: the reader checked the whole product
    }
    return size;
  }

  /**
   * The raw bytes, row-major; the array itself, not a copy. Values are unsigned: use {@code b &
   * 0xff}.
   */
  public byte[] bytes() {
    return data;
  }

  /** The value at a flat row-major index, 0..255. */
  public int unsigned(int index) {
    return data[index] & 0xff;
  }

  /** All values as floats 0..255, unscaled, in a new array. */
  public float[] toFloats() {
    float[] out = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[i] & 0xff;
    }
    return out;
  }

  @Override
  public String toString() {
    return "IdxFile(dims=" + Arrays.toString(dims) + ")";
  }
}
