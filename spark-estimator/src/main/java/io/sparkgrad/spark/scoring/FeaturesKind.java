package io.sparkgrad.spark.scoring;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * How a row's features are stored: in one column, as Spark ML's {@code Vector} or an array of
 * floats or doubles (embeddings as pandas, PyArrow or Spark itself write them), or one number in
 * each of several numeric columns (featuresCols); read as they are stored.
 */
public enum FeaturesKind {
  VECTOR,
  FLOAT_ARRAY,
  DOUBLE_ARRAY,
  NUMBERS;

  /** The kind of a column of type {@code t}, or null when features cannot be read from it. */
  public static FeaturesKind of(DataType t) {
    if (t.equals(SQLDataTypes.VectorType())) {
      return VECTOR;
    }
    if (t instanceof ArrayType a) {
      if (a.elementType().equals(DataTypes.FloatType)) {
        return FLOAT_ARRAY;
      }
      if (a.elementType().equals(DataTypes.DoubleType)) {
        return DOUBLE_ARRAY;
      }
    }
    return null;
  }

  public boolean isArray() {
    return this == FLOAT_ARRAY || this == DOUBLE_ARRAY;
  }

  /** "a vector of length n" or "an array of length n", for messages. */
  public String ofLength(int n) {
    return (isArray() ? "an array" : "a vector") + " of length " + n;
  }
}
