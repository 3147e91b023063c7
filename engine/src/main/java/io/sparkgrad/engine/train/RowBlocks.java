package io.sparkgrad.engine.train;

import io.sparkgrad.engine.data.Dataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows held as a list of bounded blocks, each row contiguous as inputs, targets and (when weighted)
 * its weight. No array grows past {@link #BLOCK_FLOATS} floats (or one row, if wider), so a worker
 * can hold any number of rows without reaching Java's array limit, and packing never copies the
 * whole data to grow it. Built by {@link RowBlocksBuilder}.
 */
public final class RowBlocks implements Dataset, Serializable {
  private static final long serialVersionUID = 1L;

  /** Floats per block: 1 MiB. */
  public static final int BLOCK_FLOATS = 1 << 18;

  // A class, not a record: Spark may write cached blocks with Kryo 4, which cannot write records.
  private final int inputSize;
  private final int targetSize;
  private final boolean weighted;
  private final int rows;
  private final ArrayList<float[]> blocks;

  RowBlocks(int inputSize, int targetSize, boolean weighted, int rows, ArrayList<float[]> blocks) {
    this.inputSize = inputSize;
    this.targetSize = targetSize;
    this.weighted = weighted;
    this.rows = rows;
    this.blocks = blocks;
  }

  /** Rows of {@code width} floats that fit one block. */
  static int rowsPerBlock(int width) {
    return Math.max(1, BLOCK_FLOATS / width);
  }

  /** Floats per row: inputs, targets and the weight when weighted. */
  public int width() {
    return inputSize + targetSize + (weighted ? 1 : 0);
  }

  @Override
  public int size() {
    return rows;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int targetSize() {
    return targetSize;
  }

  @Override
  public boolean hasWeights() {
    return weighted;
  }

  @Override
  public void read(int index, float[] inputs, int inputOffset, float[] targets, int targetOffset) {
    int per = rowsPerBlock(width());
    float[] block = blocks.get(index / per);
    int at = (index % per) * width();
    System.arraycopy(block, at, inputs, inputOffset, inputSize);
    System.arraycopy(block, at + inputSize, targets, targetOffset, targetSize);
  }

  @Override
  public float weight(int index) {
    if (!weighted) {
      return 1f;
    }
    int per = rowsPerBlock(width());
    return blocks.get(index / per)[(index % per) * width() + inputSize + targetSize];
  }

  /** Floats held: the packed size, with no spare capacity. */
  public long floats() {
    long n = 0;
    for (float[] b : blocks) {
      n += b.length;
    }
    return n;
  }

  /** The blocks; read-only by contract. */
  List<float[]> blocks() {
    return blocks;
  }
}
