package io.sparkgrad.spark;

import io.sparkgrad.spark.scoring.FeaturesKind;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Column checks done on the schema before any Spark job runs. */
final class SchemaChecks {
  private SchemaChecks() {}

  static DataType require(StructType schema, String col, String param) {
    if (col == null || col.isEmpty() || !Arrays.asList(schema.fieldNames()).contains(col)) {
      throw new InvalidInputException(
          "Param "
              + param
              + " names column '"
              + col
              + "', which the DataFrame does not have; its columns are "
              + Arrays.toString(schema.fieldNames())
              + ". Set "
              + param
              + " to one of them.");
    }
    return schema.apply(col).dataType();
  }

  /** The features column's kind: a Vector, or an array of floats or doubles. */
  static FeaturesKind requireFeatures(StructType schema, String col, String param) {
    DataType t = require(schema, col, param);
    FeaturesKind kind = FeaturesKind.of(t);
    requireType(
        kind != null,
        t,
        col,
        param,
        "a Vector, array<float> or array<double>",
        "Assemble numeric columns with VectorAssembler first, or cast the array's elements to"
            + " float or double.");
    return kind;
  }

  /**
   * Starts with Spark's own sentence (SchemaUtils.checkNumericType), which its test kits expect.
   */
  static void requireNumeric(StructType schema, String col, String param) {
    DataType t = require(schema, col, param);
    if (!(t instanceof NumericType)) {
      throw new InvalidInputException(
          "Column "
              + col
              + " must be of type numeric but was actually of type "
              + t.catalogString()
              + ". It is the "
              + param
              + " param's column: cast it, or index strings with StringIndexer.");
    }
  }

  private static void requireType(
      boolean ok, DataType t, String col, String param, String expected, String fix) {
    if (!ok) {
      throw new InvalidInputException(
          "Column '"
              + col
              + "' ("
              + param
              + ") has type "
              + t.simpleString()
              + "; expected "
              + expected
              + ". "
              + fix);
    }
  }

  static void requireAbsent(StructType schema, String col) {
    if (Arrays.asList(schema.fieldNames()).contains(col)) {
      throw new InvalidInputException(
          "Output column '"
              + col
              + "' already exists in the DataFrame; rename the output column param or drop the"
              + " column.");
    }
  }
}
