package io.sparkgrad.engine.optim;

/**
 * Multiplies the learning rate by {@code gamma} every epoch, as {@code
 * torch.optim.lr_scheduler.ExponentialLR}: {@code lr = base * gamma^epoch}.
 */
public final class ExponentialLR extends LRScheduler {
  private final double gamma;

  public ExponentialLR(Optimizer optimizer, double gamma) {
    super(optimizer);
    check(gamma >= 0 && Double.isFinite(gamma), "Invalid gamma: " + gamma + " (expected >= 0)");
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double getLr() {
    double lr = optimizer.learningRate();
    return lastEpoch == 0 ? lr : lr * gamma;
  }

  @Override
  protected double closedFormLr() {
    return baseLr * Math.pow(gamma, lastEpoch);
  }
}
