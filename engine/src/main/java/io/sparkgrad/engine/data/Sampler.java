package io.sparkgrad.engine.data;

import io.sparkgrad.engine.Generator;

/**
 * The order in which a loader visits rows, epoch by epoch, as PyTorch's samplers. The order of an
 * epoch is a pure function of (seed, epoch), so a resumed run sees the same batches.
 */
public interface Sampler {
  int[] order(int epoch);

  /** Rows 0..n-1 in order. */
  static Sampler sequential(int n) {
    return epoch -> {
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      return idx;
    };
  }

  /** A fresh seeded permutation of 0..n-1 every epoch. */
  static Sampler random(int n, long seed) {
    Sampler base = sequential(n);
    return epoch -> {
      int[] idx = base.order(epoch);
      new Generator(Generator.derive(seed, epoch)).shuffle(idx);
      return idx;
    };
  }
}
