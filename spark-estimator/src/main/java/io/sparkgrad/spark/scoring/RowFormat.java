package io.sparkgrad.spark.scoring;

import java.io.Serializable;

/**
 * How {@link ScoringIterator} reads the features of one kind of row and appends the outputs to it:
 * {@link ExternalRows} for {@code Row}s (streaming plans); Spark's binary rows, which skip decoding
 * and re-encoding the input columns, in {@code SparkInternals}.
 */
public interface RowFormat<T> extends Serializable {
  /** How the features column stores its values. */
  FeaturesKind kind();

  boolean featuresNull(T row);

  /** The features vector's or array's length. */
  int featuresSize(T row);

  /**
   * Writes the {@code featuresSize} features of {@code row} as floats at {@code x[off]}; returns
   * null, or what is wrong with them (a sparse index outside the vector's size, a null element).
   */
  String writeFeatures(T row, float[] x, int off);

  /** A row that stays valid after the input iterator advances. */
  T retain(T row);

  /** The input row followed by the appended values (Java values: Double or Vector). */
  T append(T row, Object[] extra);
}
