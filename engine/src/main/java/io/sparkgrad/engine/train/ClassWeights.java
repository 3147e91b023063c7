package io.sparkgrad.engine.train;

import io.sparkgrad.engine.data.Dataset;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One weight per class, as the {@code weight} of {@code torch.nn.CrossEntropyLoss}: row i's loss
 * counts w[y_i] times and the mean divides by the sum of the w[y_i], i.e. sum(w[y_i] * l_i) /
 * sum(w[y_i]). For bce the classes are [negative, positive] and the same per-row weight applies to
 * the whole row's loss (PyTorch's {@code pos_weight} scales only the positive term of the loss; the
 * per-row weight with a weighted mean is the one that keeps the mean's meaning). Rows that also
 * carry a sample weight s_i count s_i * w[y_i].
 *
 * <p>Either explicit values or "balanced", which {@link #resolve} turns into scikit-learn's
 * n_samples / (n_classes * count_c) once the (weighted) class counts are known.
 */
public final class ClassWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] values; // null: balanced, not yet resolved

  private ClassWeights(double[] values) {
    this.values = values;
  }

  /** Explicit weights, one per class; each must be finite and > 0. */
  public static ClassWeights of(double... values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("class weights need one weight per class; got none");
    }
    for (int c = 0; c < values.length; c++) {
      if (!(values[c] > 0) || Double.isInfinite(values[c])) {
        throw new IllegalArgumentException(
            "class weight "
                + c
                + " is "
                + values[c]
                + "; every class weight must be finite and > 0");
      }
    }
    return new ClassWeights(values.clone());
  }

  /** Weights to be computed from the class counts: n_samples / (n_classes * count_c). */
  public static ClassWeights balanced() {
    return new ClassWeights(null);
  }

  public boolean isBalanced() {
    return values == null;
  }

  /** The classes a loss has: the output size for cross_entropy, 2 for bce, none for mse. */
  public static int classes(LossKind loss, int outputs) {
    return switch (loss) {
      case CROSS_ENTROPY -> outputs;
      case BCE -> 2;
      case MSE -> 0;
    };
  }

  /** Why these weights cannot go with {@code loss} over {@code outputs}, or null when they can. */
  public String problem(LossKind loss, int outputs) {
    if (loss == LossKind.MSE) {
      return "class weights apply to the classifiers (bce, cross_entropy), not to mse";
    }
    int classes = classes(loss, outputs);
    if (values != null && values.length != classes) {
      return "loss "
          + loss.paramName()
          + " has "
          + classes
          + " classes"
          + (loss == LossKind.BCE ? " ([negative, positive])" : " (the output size)")
          + " but "
          + values.length
          + " class weights were given";
    }
    return null;
  }

  /**
   * Balanced weights from the (weighted) row count of each class: total / (classes * count_c); a
   * class with no rows gets 1 (its weight never multiplies a row). Explicit weights stay as they
   * are.
   */
  public ClassWeights resolve(double[] counts) {
    if (values != null) {
      return this;
    }
    double total = Arrays.stream(counts).sum();
    double[] w = new double[counts.length];
    for (int c = 0; c < w.length; c++) {
      w[c] = counts[c] > 0 ? total / (counts.length * counts[c]) : 1.0;
    }
    return of(w);
  }

  /**
   * The row count of each of {@code classes} classes in {@code rows} (by class index, or 0/1 for
   * bce), each row counted by its sample weight (1 without): what {@link #resolve} takes. Rows are
   * read in their order, so equal data gives bit-equal counts.
   */
  public static double[] counts(Dataset rows, int classes) {
    if (rows.targetSize() != 1) {
      throw new IllegalArgumentException(
          "class counts need one class index per row; the rows have "
              + rows.targetSize()
              + " targets");
    }
    double[] counts = new double[classes];
    float[] in = new float[rows.inputSize()];
    float[] target = new float[rows.targetSize()];
    for (int i = 0; i < rows.size(); i++) {
      rows.read(i, in, 0, target, 0);
      counts[(int) target[0]] += rows.weight(i);
    }
    return counts;
  }

  /** The weights, one per class; fails while balanced weights are not resolved. */
  public double[] values() {
    if (values == null) {
      throw new IllegalStateException("balanced class weights need resolve(counts) first");
    }
    return values.clone();
  }

  /** The weight of class {@code label} (a class index, or 0/1 for bce). */
  public float weight(float label) {
    return (float) values[(int) label];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassWeights c && Arrays.equals(values, c.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return values == null ? "balanced" : Arrays.toString(values);
  }
}
