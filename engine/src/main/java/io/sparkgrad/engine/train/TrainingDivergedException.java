package io.sparkgrad.engine.train;

/**
 * The loss or the weights stopped being finite. Training stops at once so that no model with NaN
 * weights is ever returned or saved.
 */
public class TrainingDivergedException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }

  public TrainingDivergedException(String what, int epoch, int step, double learningRate) {
    this(
        what
            + " at epoch "
            + (epoch + 1)
            + ", step "
            + (step + 1)
            + " (learning rate "
            + learningRate
            + "). To fix: lower the learning rate, standardise the features (StandardScaler),"
            + " or look for extreme values in the data.");
  }
}
