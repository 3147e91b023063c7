package io.sparkgrad.spark.scoring;

import java.io.Serializable;

/**
 * How {@link ScoringIterator} reads the features of one kind of row and appends the outputs to it:
 * {@link ExternalRows} for {@code Row}s (streaming plans); Spark's binary rows, which skip decoding
 * and re-encoding the input columns, in {@code SparkInternals}.
 */
public interface RowFormat<T> extends Serializable {
  boolean featuresNull(T row);

  /** The features vector's length. */
  int featuresSize(T row);

  /**
   * Writes the {@code featuresSize} features of {@code row} as floats at {@code x[off]}; false if
   * the vector is malformed (a sparse index outside its size).
   */
  boolean writeFeatures(T row, float[] x, int off);

  /** A row that stays valid after the input iterator advances. */
  T retain(T row);

  /** The input row followed by the appended values (Java values: Double or Vector). */
  T append(T row, Object[] extra);
}
