package io.sparkgrad.spark;

import io.sparkgrad.spark.scoring.FeatureColumns;
import io.sparkgrad.spark.scoring.FeaturesKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
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

  /**
   * A double keeps 15 significant decimal digits: every decimal of at most that many digits reads
   * as a double that converts back to it, so none is lost or merged with another.
   */
  static final int MAX_DECIMAL_DIGITS = 15;

  /**
   * The columns {@code stage} reads its features from: featuresCols when it lists any, else
   * featuresCol; checked for existence and type, and featuresCols' count against {@code inputSize}
   * (layers[0]).
   */
  static FeatureColumns requireFeatures(
      StructType schema, HasFeaturesCols<?> stage, int inputSize) {
    String[] cols = stage.getFeaturesCols();
    if (cols.length == 0) {
      String col = stage.getFeaturesCol();
      DataType t = require(schema, col, "featuresCol");
      FeaturesKind kind = FeaturesKind.of(t);
      requireType(
          kind != null,
          t,
          col,
          "featuresCol",
          "a Vector, array<float> or array<double>",
          "List numeric columns in featuresCols instead (or assemble them with VectorAssembler),"
              + " or cast the array's elements to float or double.");
      return FeatureColumns.single(col, t, kind);
    }
    if (stage.isSet(stage.featuresCol())) {
      throw new InvalidInputException(
          "Params featuresCol ('"
              + stage.getFeaturesCol()
              + "') and featuresCols ("
              + Arrays.toString(cols)
              + ") are both set; a stage reads its features from one of them. Clear featuresCol"
              + " to read the listed numeric columns, or set featuresCols to an empty list to read"
              + " the one Vector or array column.");
    }
    Set<String> seen = new HashSet<>();
    List<DataType> types = new ArrayList<>();
    for (String col : cols) {
      if (!seen.add(col)) {
        throw new InvalidInputException(
            "Param featuresCols lists column '" + col + "' twice; list each column once.");
      }
      DataType t = require(schema, col, "featuresCols");
      requireType(
          isFeatureNumber(t),
          t,
          col,
          "featuresCols",
          "byte, short, int, long, float, double, or decimal of at most "
              + MAX_DECIMAL_DIGITS
              + " digits (which a double holds exactly)",
          t instanceof DecimalType
              ? "Cast the column to double if rounding it to 15 digits is acceptable, or drop it"
                  + " from featuresCols."
              : "Cast it to a number (index strings with StringIndexer), or drop it from"
                  + " featuresCols; a Vector or array column goes in featuresCol instead.");
      types.add(t);
    }
    if (cols.length != inputSize) {
      throw new InvalidInputException(
          "Param featuresCols lists "
              + cols.length
              + " columns, one feature each, but layers[0] is "
              + inputSize
              + "; set layers[0] to "
              + cols.length
              + " or list "
              + inputSize
              + " columns.");
    }
    return FeatureColumns.numbers(List.of(cols), types);
  }

  private static boolean isFeatureNumber(DataType t) {
    return t instanceof ByteType
        || t instanceof ShortType
        || t instanceof IntegerType
        || t instanceof LongType
        || t instanceof FloatType
        || t instanceof DoubleType
        || (t instanceof DecimalType d && d.precision() <= MAX_DECIMAL_DIGITS);
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
