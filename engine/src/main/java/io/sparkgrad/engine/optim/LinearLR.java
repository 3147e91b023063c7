package io.sparkgrad.engine.optim;

/**
 * Multiplies the base learning rate by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays, as {@code
 * torch.optim.lr_scheduler.LinearLR}; with an end factor of 1 it is a linear warm-up:
 *
 * <pre>
 *   lr = base * (startFactor + (endFactor - startFactor) * min(epoch, totalIters) / totalIters)
 * </pre>
 */
public final class LinearLR extends LRScheduler {
  private final double startFactor;
  private final double endFactor;
  private final int totalIters;

  /** PyTorch's defaults: start factor 1/3, end factor 1, 5 epochs. */
  public LinearLR(Optimizer optimizer) {
    this(optimizer, 1.0 / 3, 1.0, 5);
  }

  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
    super(optimizer);
    // A zero start factor would divide by zero in the recursive form.
    check(
        startFactor > 0 && startFactor <= 1,
        "Starting multiplicative factor expected to be greater than 0 and less or equal to 1,"
            + " got "
            + startFactor);
    check(
        endFactor >= 0 && endFactor <= 1,
        "Ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
    check(totalIters >= 1, "Invalid total_iters: " + totalIters + " (expected >= 1)");
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    initialStep();
  }

  @Override
  protected double getLr() {
    double lr = optimizer.learningRate();
    if (lastEpoch == 0) {
      return lr * startFactor;
    }
    if (lastEpoch > totalIters) {
      return lr;
    }
    double delta = endFactor - startFactor;
    return lr * (1 + delta / (totalIters * startFactor + (lastEpoch - 1) * delta));
  }

  @Override
  protected double closedFormLr() {
    return baseLr
        * (startFactor
            + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / (double) totalIters);
  }
}
