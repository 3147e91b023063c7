package io.sparkgrad.engine.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, as {@code
 * torch.optim.lr_scheduler.StepLR}: {@code lr = base * gamma^(epoch / stepSize)}.
 */
public final class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /** PyTorch's default {@code gamma} of 0.1. */
  public StepLR(Optimizer optimizer, int stepSize) {
    this(optimizer, stepSize, 0.1);
  }

  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    check(stepSize >= 1, "Invalid step_size: " + stepSize + " (expected >= 1)");
    check(gamma >= 0 && Double.isFinite(gamma), "Invalid gamma: " + gamma + " (expected >= 0)");
    this.stepSize = stepSize;
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double getLr() {
    double lr = optimizer.learningRate();
    return lastEpoch == 0 || lastEpoch % stepSize != 0 ? lr : lr * gamma;
  }

  @Override
  protected double closedFormLr() {
    return baseLr * Math.pow(gamma, lastEpoch / stepSize);
  }
}
