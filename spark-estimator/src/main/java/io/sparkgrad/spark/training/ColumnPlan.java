package io.sparkgrad.spark.training;

import java.io.Serializable;

/**
 * What the packer reads from each row, after the schema checks: positions of the selected columns
 * (features, label, then the optional weight and validation indicator) and what the values must
 * satisfy, and whether a bad row stops the fit (error) or is skipped and counted (skip).
 */
public record ColumnPlan(
    String featuresCol,
    String labelCol,
    String weightCol,
    String validationCol,
    String loss,
    int inputSize,
    int targetSize,
    int numClasses,
    boolean labelIsVector,
    boolean skipInvalid)
    implements Serializable {

  public boolean hasWeights() {
    return !weightCol.isEmpty();
  }

  public boolean hasValidation() {
    return !validationCol.isEmpty();
  }

  /** Position of the weight column in the selected row. */
  public int weightIndex() {
    return 2;
  }

  public int validationIndex() {
    return hasWeights() ? 3 : 2;
  }
}
