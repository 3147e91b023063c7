package io.sparkgrad.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Appends rows into fixed-size blocks, then lays them in the order of their content keys ({@link
 * RowKeys}), so the rows a worker ends with, and their order, depend only on the data and the seed,
 * never on the order in which Spark delivered them. Memory: the rows themselves, one partly filled
 * block, a long and an int per row.
 */
public final class RowBlocksBuilder {
  private final int inputSize;
  private final int targetSize;
  private final boolean weighted;
  private final int width;
  private final int perBlock;
  private final ArrayList<float[]> blocks = new ArrayList<>();
  private long[] keys = new long[1024];
  private int rows;
  private long checksum;

  public RowBlocksBuilder(int inputSize, int targetSize, boolean weighted) {
    this.inputSize = inputSize;
    this.targetSize = targetSize;
    this.weighted = weighted;
    this.width = inputSize + targetSize + (weighted ? 1 : 0);
    this.perBlock = RowBlocks.rowsPerBlock(width);
  }

  /** Appends one row of {@code width} floats (inputs, targets, weight) with its content key. */
  public void add(float[] row, long key) {
    if (row.length != width) {
      throw new IllegalArgumentException("row has " + row.length + " values, expected " + width);
    }
    if (rows % perBlock == 0) {
      blocks.add(new float[perBlock * width]);
    }
    System.arraycopy(row, 0, blocks.get(rows / perBlock), (rows % perBlock) * width, width);
    if (rows == keys.length) {
      keys = Arrays.copyOf(keys, keys.length + (keys.length >> 1));
    }
    keys[rows++] = key;
  }

  /**
   * Deals {@code rows} (inputs, targets, then the weight when weighted) to {@code workers} as a
   * Spark fit's packing does, in memory: for the engine's own workers and for checking a Spark fit.
   */
  public static List<RowBlocks> deal(
      Iterable<float[]> rows,
      long seed,
      int workers,
      int inputSize,
      int targetSize,
      boolean weighted) {
    List<RowBlocksBuilder> out = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      out.add(new RowBlocksBuilder(inputSize, targetSize, weighted));
    }
    for (float[] row : rows) {
      long key = RowKeys.key(seed, row, inputSize + targetSize, false);
      out.get(RowKeys.worker(key, workers)).add(row, key);
    }
    return out.stream().map(RowBlocksBuilder::build).toList();
  }

  public int rows() {
    return rows;
  }

  /**
   * The rows sorted by (key, content) in place, the last block trimmed to its rows. Identical rows
   * are interchangeable, so the result is a function of the multiset of rows.
   */
  public RowBlocks build() {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    IndexSort.sort(order, this::compare);
    checksum = 0x9E3779B97F4A7C15L;
    for (int i : order) {
      checksum = RowKeys.mix(checksum ^ keys[i]);
    }
    permute(order);
    if (!blocks.isEmpty()) {
      int last = blocks.size() - 1;
      int used = rows - last * perBlock;
      blocks.set(last, Arrays.copyOf(blocks.get(last), used * width));
    }
    keys = null;
    return new RowBlocks(inputSize, targetSize, weighted, rows, blocks);
  }

  /** After {@link #build()}: a hash of the sorted keys, equal for equal multisets of rows. */
  public long checksum() {
    return checksum;
  }

  private int compare(int a, int b) {
    int c = Long.compare(keys[a], keys[b]);
    if (c != 0) {
      return c;
    }
    float[] ba = blocks.get(a / perBlock);
    float[] bb = blocks.get(b / perBlock);
    int oa = (a % perBlock) * width;
    int ob = (b % perBlock) * width;
    for (int j = 0; j < width; j++) {
      c = Integer.compare(Float.floatToRawIntBits(ba[oa + j]), Float.floatToRawIntBits(bb[ob + j]));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Moves old row {@code order[p]} to position p for every p, following cycles in place. */
  private void permute(int[] order) {
    BitSet done = new BitSet(rows);
    float[] held = new float[width];
    for (int start = 0; start < rows; start++) {
      if (done.get(start) || order[start] == start) {
        continue;
      }
      copy(start, held, 0);
      int p = start;
      while (true) {
        done.set(p);
        int src = order[p];
        if (src == start) {
          System.arraycopy(held, 0, blocks.get(p / perBlock), (p % perBlock) * width, width);
          break;
        }
        copy(src, blocks.get(p / perBlock), (p % perBlock) * width);
        p = src;
      }
    }
  }

  private void copy(int row, float[] to, int at) {
    System.arraycopy(blocks.get(row / perBlock), (row % perBlock) * width, to, at, width);
  }
}
