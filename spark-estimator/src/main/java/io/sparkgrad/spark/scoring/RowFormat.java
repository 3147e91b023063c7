package io.sparkgrad.spark.scoring;

import java.io.Serializable;

/**
 * How {@link ScoringIterator} reads the features of one kind of row and appends the outputs to it:
 * {@link ExternalRows} for {@code Row}s (streaming plans); Spark's binary rows, which skip decoding
 * and re-encoding the input columns, in {@code SparkInternals}. Features column {@code c} is the
 * c-th of {@link FeatureColumns#names()}: 0 for a Vector or array column.
 */
public interface RowFormat<T> extends Serializable {
  boolean isNull(T row, int c);

  /** The length of the Vector or array in the features column. */
  int featuresSize(T row);

  /**
   * Writes the {@code featuresSize} features of the Vector or array column as floats at {@code
   * x[off]}; returns null, or what is wrong with them (a sparse index outside the vector's size, a
   * null element).
   */
  String writeFeatures(T row, float[] x, int off);

  /** The number in features column {@code c} (featuresCols), as a double. */
  double number(T row, int c);

  /** A row that stays valid after the input iterator advances. */
  T retain(T row);

  /** The input row followed by the appended values (Java values: Double or Vector). */
  T append(T row, Object[] extra);
}
