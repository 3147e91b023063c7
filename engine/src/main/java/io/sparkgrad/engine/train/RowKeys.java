package io.sparkgrad.engine.train;

/**
 * Seeded keys computed from a row's values, which decide the worker that trains on the row and its
 * place among that worker's rows. Because the key depends only on the row and the seed, the rows
 * are dealt to workers as by a seeded shuffle (each worker an i.i.d. sample even of sorted input)
 * and the deal does not change with the input's partitioning or order.
 */
public final class RowKeys {
  private RowKeys() {}

  /**
   * The key under {@code seed} of a row whose first {@code length} float32 values are its features
   * and targets. A sample weight is left out, so weighting rows does not move them.
   */
  public static long key(long seed, float[] row, int length, boolean validation) {
    long h = mix(seed ^ 0x5851F42D4C957F2DL) ^ (validation ? 0xA5A5A5A5L : 0L);
    for (int i = 0; i < length; i++) {
      h = mix(h ^ (Float.floatToRawIntBits(row[i]) & 0xFFFFFFFFL));
    }
    return h;
  }

  /** A key for a row known only by its position (a skipped invalid row, which is only counted). */
  public static long positionKey(long seed, int partition, long offset) {
    return mix(mix(seed ^ partition) ^ offset);
  }

  /** The worker, in [0, workers), for a row's key. */
  public static int worker(long key, int workers) {
    return (int) Long.remainderUnsigned(mix(key), workers);
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
