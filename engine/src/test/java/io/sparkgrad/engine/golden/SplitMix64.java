package io.sparkgrad.engine.golden;

/**
 * SplitMix64 as a pure function of (seed, index), the same generator that {@code
 * generate_goldens.py} implements: output i is mix(seed + (i + 1) * GAMMA). The big network's
 * weights and batches are drawn from it on both sides instead of being stored.
 */
final class SplitMix64 {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix64() {}

  static long at(long seed, long index) {
    long z = seed + (index + 1) * GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * n floats float32(lo + (hi - lo) * u), computed in double, with u the top 24 bits over 2^24:
   * exact in [0, 1), so both languages round the same double to the same float.
   */
  static float[] uniform(long seed, int n, double lo, double hi) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double u = (at(seed, i) >>> 40) * 0x1p-24;
      out[i] = (float) (lo + (hi - lo) * u);
    }
    return out;
  }

  /** n class indices in [0, classes), as floats: (top 24 bits * classes) >> 24. */
  static float[] labels(long seed, int n, int classes) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (((at(seed, i) >>> 40) * classes) >>> 24);
    }
    return out;
  }
}
