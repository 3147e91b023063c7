package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.RowKeys;
import io.sparkgrad.spark.InvalidInputException;
import io.sparkgrad.spark.scoring.FeatureColumns;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Reads an input partition's rows into float32 values, checking every value, and keys each row by
 * its content (see {@link RowKeys}). A bad value stops the fit with its column, partition, row
 * offset and value: nothing is dropped or coerced silently (handleInvalid=skip drops and counts).
 */
final class RowEncoder {
  private static final String CLEAN_FEATURES =
      "clean or impute the features (e.g. with Imputer) before fit";

  private RowEncoder() {}

  /** The encoded rows of input partition {@code partition}, lazily, as Spark pulls them. */
  static Iterator<EncodedRow> encode(
      int partition, Iterator<Row> rows, ColumnPlan plan, long seed) {
    return new Iterator<>() {
      private long offset;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public EncodedRow next() {
        Row row = rows.next();
        Where where = new Where(partition, offset++);
        try {
          return encode(row, plan, where, seed);
        } catch (InvalidInputException e) {
          if (!plan.skipInvalid()) {
            throw e;
          }
          // Keyed by position: which worker counts a skipped row does not change the count.
          long key = RowKeys.positionKey(seed, partition, where.offset());
          return new EncodedRow(key, EncodedRow.SKIPPED, null);
        }
      }
    };
  }

  private static EncodedRow encode(Row row, ColumnPlan plan, Where where, long seed) {
    boolean validation = plan.hasValidation() && isValidation(row, plan, where);
    float[] values = new float[plan.width()];
    readFeatures(row, plan, where, values);
    readLabel(row, plan, where, values, plan.inputSize());
    if (plan.hasWeights()) {
      values[values.length - 1] = readWeight(row, plan, where);
    }
    long key = RowKeys.key(seed, values, plan.inputSize() + plan.targetSize(), validation);
    return new EncodedRow(key, validation ? EncodedRow.VALIDATION : EncodedRow.TRAIN, values);
  }

  /** Where a row sits: its partition and 0-based offset within it. */
  record Where(int partition, long offset) {
    @Override
    public String toString() {
      return "partition " + partition + ", row " + offset;
    }
  }

  private static void readFeatures(Row row, ColumnPlan plan, Where where, float[] out) {
    FeatureColumns features = plan.features();
    if (features.isNumbers()) {
      readNumbers(row, features, where, out);
      return;
    }
    String col = features.name(0);
    if (row.isNullAt(0)) {
      throw bad(col, where, "null", "a Vector", "drop or fill rows with nulls");
    }
    if (features.kind().isArray()) {
      readArray(row.getList(0), col, plan.inputSize(), where, out);
      return;
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != plan.inputSize()) {
      throw bad(
          col,
          where,
          "a vector of length " + v.size(),
          "length " + plan.inputSize() + " (layers[0])",
          "set layers[0] to the feature vector length or fix the assembler's input columns");
    }
    if (v instanceof SparseVector sv) {
      int[] idx = sv.indices();
      double[] vals = sv.values();
      for (int j = 0; j < idx.length; j++) {
        checkFinite(col, where, "vector", idx[j], vals[j]);
        out[idx[j]] = (float) vals[j];
      }
      return;
    }
    double[] vals = ((DenseVector) v).values();
    for (int i = 0; i < vals.length; i++) {
      checkFinite(col, where, "vector", i, vals[i]);
      out[i] = (float) vals[i];
    }
  }

  /**
   * One number from each featuresCols column, in the selected row's first positions. Read through
   * double, as VectorAssembler reads them, so both give the same floats.
   */
  private static void readNumbers(Row row, FeatureColumns features, Where where, float[] out) {
    for (int i = 0; i < features.names().size(); i++) {
      String col = features.name(i);
      if (row.isNullAt(i)) {
        throw bad(
            col,
            where,
            "null",
            "a number",
            "fill or drop the rows with nulls, or set handleInvalid to skip");
      }
      double d = ((Number) row.get(i)).doubleValue();
      if (!Double.isFinite(d)) {
        throw bad(col, where, String.valueOf(d), "finite numbers", CLEAN_FEATURES);
      }
      out[i] = (float) d;
    }
  }

  /** An array<float> or array<double> row, element by element as Spark hands it over. */
  private static void readArray(
      List<Object> values, String col, int inputSize, Where where, float[] out) {
    if (values.size() != inputSize) {
      throw bad(
          col,
          where,
          "an array of length " + values.size(),
          "length " + inputSize + " (layers[0])",
          "set layers[0] to the arrays' length, or make every row's array that long");
    }
    for (int i = 0; i < out.length && i < values.size(); i++) {
      Object v = values.get(i);
      if (v == null) {
        throw bad(
            col,
            where,
            "null at array index " + i,
            "finite numbers",
            "fill or drop the rows whose arrays hold nulls");
      }
      double d = ((Number) v).doubleValue();
      checkFinite(col, where, "array", i, d);
      out[i] = (float) d;
    }
  }

  private static void checkFinite(
      String col, Where where, String container, int index, double value) {
    if (!Double.isFinite(value)) {
      throw bad(
          col,
          where,
          value + " at " + container + " index " + index,
          "finite numbers",
          CLEAN_FEATURES);
    }
  }

  private static void readLabel(Row row, ColumnPlan plan, Where where, float[] out, int at) {
    String col = plan.labelCol();
    int label = plan.labelIndex();
    if (row.isNullAt(label)) {
      throw bad(col, where, "null", "a label", "drop or fill rows with null labels");
    }
    if (plan.labelIsVector()) {
      Vector v = (Vector) row.get(label);
      if (v.size() != plan.targetSize()) {
        throw bad(
            col,
            where,
            "a vector of length " + v.size(),
            "length " + plan.targetSize() + " (the last entry of layers)",
            "set the last entry of layers to the label vector length");
      }
      for (int i = 0; i < v.size(); i++) {
        double d = v.apply(i);
        if (!Double.isFinite(d)) {
          throw bad(col, where, d + " at index " + i, "finite targets", "clean the labels");
        }
        out[at + i] = (float) d;
      }
      return;
    }
    double value = ((Number) row.get(label)).doubleValue();
    String expected = plan.loss().labelProblem(value, plan.outputs());
    if (expected != null) {
      throw bad(col, where, String.valueOf(value), expected, plan.loss().labelFix());
    }
    out[at] = (float) value;
  }

  private static float readWeight(Row row, ColumnPlan plan, Where where) {
    String col = plan.weightCol();
    int i = plan.weightIndex();
    double w = row.isNullAt(i) ? Double.NaN : ((Number) row.get(i)).doubleValue();
    if (!(w >= 0) || Double.isInfinite(w)) {
      throw bad(
          col,
          where,
          row.isNullAt(i) ? "null" : String.valueOf(w),
          "a finite weight >= 0",
          "fix or drop the row's weight");
    }
    return (float) w;
  }

  private static boolean isValidation(Row row, ColumnPlan plan, Where where) {
    int i = plan.validationIndex();
    if (row.isNullAt(i)) {
      throw bad(plan.validationCol(), where, "null", "true or false", "fill the indicator");
    }
    return row.getBoolean(i);
  }

  private static InvalidInputException bad(
      String col, Where where, String got, String expected, String fix) {
    return new InvalidInputException(
        "Column '"
            + col
            + "' at "
            + where
            + " has "
            + got
            + "; expected "
            + expected
            + ". To fix: "
            + fix
            + ".");
  }
}
