package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.spark.scoring.FeatureColumns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What packing reads from each row, resolved from the params and the schema once: the columns (the
 * features column or columns, label, then the optional weight and validation indicator, in {@link
 * #columns()}'s order, which is also their position in the selected row), what the values must
 * satisfy, and whether a bad row stops the fit (error) or is skipped and counted (skip).
 */
public record ColumnPlan(
    FeatureColumns features,
    String labelCol,
    String weightCol,
    String validationCol,
    LossKind loss,
    int inputSize,
    int outputs,
    boolean labelIsVector,
    boolean skipInvalid)
    implements Serializable {

  /** The columns to select, in the order rows are read (their positions below). */
  public List<String> columns() {
    List<String> c = new ArrayList<>(features.names());
    c.add(labelCol);
    if (hasWeights()) {
      c.add(weightCol);
    }
    if (hasValidation()) {
      c.add(validationCol);
    }
    return c;
  }

  public boolean hasWeights() {
    return !weightCol.isEmpty();
  }

  public boolean hasValidation() {
    return !validationCol.isEmpty();
  }

  /** Position of the label in a selected row: after the features column or columns. */
  int labelIndex() {
    return features.names().size();
  }

  /** Position of the weight column in a selected row: after features and label. */
  int weightIndex() {
    return labelIndex() + 1;
  }

  /** Position of the validation indicator: after the weight column, when there is one. */
  int validationIndex() {
    return labelIndex() + 1 + (hasWeights() ? 1 : 0);
  }

  public int targetSize() {
    return loss.targetSize(outputs);
  }

  /** Floats per packed row: features, targets and the weight when weighted. */
  int width() {
    return inputSize + targetSize() + (hasWeights() ? 1 : 0);
  }
}
