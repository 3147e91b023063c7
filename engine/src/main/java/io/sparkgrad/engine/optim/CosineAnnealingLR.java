package io.sparkgrad.engine.optim;

/**
 * Anneals the learning rate from the base rate to {@code etaMin} along half a cosine over {@code
 * tMax} epochs, as {@code torch.optim.lr_scheduler.CosineAnnealingLR} (SGDR without restarts):
 *
 * <pre>
 *   lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2
 * </pre>
 *
 * Past {@code tMax} the rate climbs back along the cosine, as PyTorch's does.
 */
public final class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /** PyTorch's default {@code eta_min} of 0. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax) {
    this(optimizer, tMax, 0);
  }

  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    check(tMax >= 1, "Invalid T_max: " + tMax + " (expected >= 1)");
    check(etaMin >= 0 && Double.isFinite(etaMin), "Invalid eta_min: " + etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    initialStep();
  }

  @Override
  protected double getLr() {
    double lr = optimizer.learningRate();
    if (lastEpoch == 0) {
      return lr;
    }
    if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
      return lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    }
    return (1 + Math.cos(Math.PI * lastEpoch / tMax))
            / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
            * (lr - etaMin)
        + etaMin;
  }

  @Override
  protected double closedFormLr() {
    return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
  }
}
