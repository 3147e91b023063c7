package io.sparkgrad.engine;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers, like {@code torch.Generator}. Every random choice in the
 * engine (weight init, shuffling, dropout masks) takes one explicitly, so equal seeds give equal
 * runs. {@link #split()} derives an independent generator, which keeps separate streams (model
 * init, each data loader, each partition) reproducible whatever order they are drawn in.
 */
public final class Generator {
  /** Seed of each thread's default generator until {@link #manualSeed} changes it. */
  public static final long DEFAULT_SEED = 0L;

  private static final ThreadLocal<Generator> DEFAULT =
      ThreadLocal.withInitial(() -> new Generator(DEFAULT_SEED));

  private final SplittableRandom random;

  public Generator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private Generator(SplittableRandom random) {
    this.random = random;
  }

  /**
   * The current thread's default generator, used by constructors that take none (as {@code new
   * Linear(784, 512)}). Library code passes its own generator instead.
   */
  public static Generator defaultGenerator() {
    return DEFAULT.get();
  }

  /** Reseeds the current thread's default generator, like {@code torch.manual_seed}. */
  public static void manualSeed(long seed) {
    DEFAULT.set(new Generator(seed));
  }

  /** A new generator whose stream is independent of this one's later draws. */
  public Generator split() {
    return new Generator(random.split());
  }

  /**
   * A seed for sub-stream {@code stream} of {@code seed} (an epoch, a partition): a pure function,
   * so a run resumed at epoch e draws what an uninterrupted run drew there.
   */
  public static long derive(long seed, long stream) {
    return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1))).nextLong();
  }

  /** A uniform float in [low, high). */
  public float uniform(float low, float high) {
    return (float) (low + (high - low) * random.nextDouble());
  }

  /** A uniform double in [0, 1). */
  public double nextDouble() {
    return random.nextDouble();
  }

  /** A uniform int in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public long nextLong() {
    return random.nextLong();
  }

  /** Shuffles {@code a} in place (Fisher-Yates). */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }
}
