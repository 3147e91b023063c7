package io.sparkgrad.engine.train;

/**
 * Tracks the best validation loss. A fit stops after {@code patience} epochs without a decrease of
 * more than {@code tol}, and returns the weights of its best epoch.
 */
final class EarlyStopping {
  private final int patience;
  private final double tol;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch = -1;
  private int since;
  private TrainState bestState;

  EarlyStopping(int patience, double tol) {
    this.patience = patience;
    this.tol = tol;
  }

  /** Records an epoch's validation loss; true when training should stop. */
  boolean update(int epoch, double validationLoss, TrainState state) {
    if (patience == 0 || Double.isNaN(validationLoss)) {
      return false;
    }
    if (validationLoss < best - tol) {
      best = validationLoss;
      bestEpoch = epoch;
      bestState = state.copy();
      since = 0;
      return false;
    }
    return ++since >= patience;
  }

  /** The best epoch, 1-based; 0 when early stopping is off or never improved. */
  int bestEpoch() {
    return bestEpoch + 1;
  }

  /** The best epoch's state, or {@code last} when early stopping is off or never improved. */
  TrainState pick(TrainState last) {
    return bestState == null ? last : bestState;
  }
}
