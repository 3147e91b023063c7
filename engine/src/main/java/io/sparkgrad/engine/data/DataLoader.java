package io.sparkgrad.engine.data;

import io.sparkgrad.engine.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches over a dataset, as {@code torch.utils.data.DataLoader}: a sampler gives the epoch's
 * row order, a batch sampler cuts it into runs of {@code batchSize} (the last one shorter unless
 * {@code dropLast}), and collate copies each run into one contiguous float block. Each call to
 * {@link #iterator()} is the next epoch; with {@code shuffle} its order comes from (seed, epoch).
 */
public final class DataLoader implements Iterable<Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean dropLast;
  private final boolean flatTargets;
  private final Sampler sampler;
  private int epoch;

  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
    this(dataset, batchSize, shuffle, seed, false);
  }

  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
    this(
        dataset,
        batchSize,
        shuffle ? Sampler.random(dataset.size(), seed) : Sampler.sequential(dataset.size()),
        dropLast);
  }

  public DataLoader(Dataset dataset, int batchSize, Sampler sampler, boolean dropLast) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "batch_size should be a positive integer value, but got batch_size=" + batchSize);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.flatTargets =
        dataset instanceof TensorDataset td ? td.flatTargets() : dataset.targetSize() == 1;
  }

  /** Rows of the dataset. */
  public int size() {
    return dataset.size();
  }

  /** Batches per epoch. */
  public int batchesPerEpoch() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The row order of {@code epoch}. */
  public int[] order(int epochIndex) {
    return sampler.order(epochIndex);
  }

  /** Batch {@code index} of an epoch whose row order is {@code order}. */
  public Batch batch(int[] order, int index) {
    int start = index * batchSize;
    if (index < 0 || index >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException(
          "batch " + index + " of an epoch with " + batchesPerEpoch() + " batches");
    }
    return collate(order, start, Math.min(batchSize, order.length - start));
  }

  /**
   * Batch {@code index} when an epoch of {@code order} is cut into {@code batches} runs of
   * near-equal size (they differ by at most one row): how data-parallel workers with slightly
   * different row counts all take the same number of steps.
   */
  public Batch evenBatch(int[] order, int index, int batches) {
    if (index < 0 || index >= batches) {
      throw new IndexOutOfBoundsException("batch " + index + " of an epoch with " + batches);
    }
    int start = (int) ((long) index * order.length / batches);
    return collate(order, start, evenBatchSize(order.length, index, batches));
  }

  /**
   * Rows in even batch {@code index} of {@code batches} over {@code n} rows (0 when n < batches).
   */
  public static int evenBatchSize(int n, int index, int batches) {
    return (int) ((long) (index + 1) * n / batches - (long) index * n / batches);
  }

  @Override
  public Iterator<Batch> iterator() {
    int[] order = sampler.order(epoch++);
    int batches = batchesPerEpoch();
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch(order, next++);
      }
    };
  }

  private Batch collate(int[] order, int start, int rows) {
    int d = dataset.inputSize();
    int k = dataset.targetSize();
    float[] x = new float[rows * d];
    float[] y = new float[rows * k];
    float[] w = dataset.hasWeights() ? new float[rows] : null;
    for (int r = 0; r < rows; r++) {
      int row = order[start + r];
      dataset.read(row, x, r * d, y, r * k);
      if (w != null) {
        w[r] = dataset.weight(row);
      }
    }
    Tensor targets = flatTargets ? Tensor.of(y, rows) : Tensor.of(y, rows, k);
    return new Batch(Tensor.of(x, rows, d), targets, w == null ? null : Tensor.of(w, rows));
  }
}
