package io.sparkgrad.engine.train;

import io.sparkgrad.engine.nn.BCEWithLogitsLoss;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.MSELoss;
import io.sparkgrad.engine.ops.Reduction;
import java.util.Arrays;
import java.util.List;

/**
 * What a loss means for an MLP: its criterion on the network's raw output, the targets it reads,
 * which labels it accepts, its validation metric and how partial metrics combine. Everything that
 * depends on the loss asks this enum; adding a loss means adding a constant here.
 */
public enum LossKind {
  /** Regression: mean squared error on one or several outputs; metric RMSE. */
  MSE("mse", "rmse"),
  /** Binary classification on one logit (sigmoid + BCE, fused); metric accuracy. */
  BCE("bce", "accuracy"),
  /** Multi-class classification on K logits (log-softmax + NLL, fused); metric accuracy. */
  CROSS_ENTROPY("cross_entropy", "accuracy");

  public static final List<String> NAMES =
      Arrays.stream(values()).map(LossKind::paramName).toList();

  private final String paramName;
  private final String metricName;

  LossKind(String paramName, String metricName) {
    this.paramName = paramName;
    this.metricName = metricName;
  }

  /** The loss by its param value ("mse", "bce", "cross_entropy"). */
  public static LossKind of(String name) {
    for (LossKind k : values()) {
      if (k.paramName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("loss '" + name + "' is not supported; use one of " + NAMES);
  }

  public String paramName() {
    return paramName;
  }

  /** The validation metric: "rmse" for mse, "accuracy" for the classifiers. */
  public String metricName() {
    return metricName;
  }

  public boolean isClassifier() {
    return this != MSE;
  }

  /** Why {@code outputs} cannot be this loss's output size, or null when it can. */
  public String outputSizeProblem(int outputs) {
    if (this == BCE && outputs != 1) {
      return "loss bce needs an output size of 1; set the last entry of layers to 1";
    }
    if (this == CROSS_ENTROPY && outputs < 2) {
      return "loss cross_entropy needs an output size equal to the number of classes (>= 2)";
    }
    return null;
  }

  /** Target values per row: the outputs for mse, one class index or 0/1 label otherwise. */
  public int targetSize(int outputs) {
    return this == MSE ? outputs : 1;
  }

  /** The criterion on the network's raw output (logits for the classifiers). */
  public Loss criterion(Reduction reduction) {
    return switch (this) {
      case MSE -> new MSELoss(reduction);
      case BCE -> new BCEWithLogitsLoss(reduction);
      case CROSS_ENTROPY -> new CrossEntropyLoss(reduction);
    };
  }

  /** What a scalar label must be, or null when {@code label} is valid for {@code outputs}. */
  public String labelProblem(double label, int outputs) {
    return switch (this) {
      case CROSS_ENTROPY ->
          label >= 0 && label < outputs && label == Math.rint(label)
              ? null
              : "an integer class index in [0, " + outputs + ") for cross_entropy";
      case BCE -> label == 0 || label == 1 ? null : "0 or 1 for bce";
      case MSE -> Double.isFinite(label) ? null : "a finite target";
    };
  }

  /** How to fix a label that {@link #labelProblem} rejected. */
  public String labelFix() {
    return switch (this) {
      case CROSS_ENTROPY ->
          "index labels with StringIndexer, or set the last entry of layers to the number of"
              + " classes";
      case BCE -> "map the labels to 0 and 1";
      case MSE -> "clean the labels";
    };
  }

  /**
   * Row {@code r}'s contribution to the metric before {@link #finishMetric}: 1 or 0 for a right or
   * wrong class, or the squared error averaged over the row's {@code k} outputs.
   */
  public double rowMetric(float[] out, float[] target, int r, int k) {
    switch (this) {
      case BCE:
        return (out[r] > 0) == (target[r] > 0.5f) ? 1 : 0;
      case CROSS_ENTROPY:
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (out[r * k + j] > out[r * k + best]) {
            best = j;
          }
        }
        return best == (int) target[r] ? 1 : 0;
      default:
        double se = 0;
        for (int j = 0; j < k; j++) {
          double d = out[r * k + j] - target[r * k + j];
          se += d * d;
        }
        return se / k;
    }
  }

  /**
   * The metric from the weighted mean of row metrics: accuracy as is, RMSE as the root of the mean
   * squared error. Partial sums over any split of the rows combine before this, never after.
   */
  public double finishMetric(double meanRowMetric) {
    return this == MSE ? Math.sqrt(meanRowMetric) : meanRowMetric;
  }
}
