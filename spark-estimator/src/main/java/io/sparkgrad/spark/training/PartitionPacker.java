package io.sparkgrad.spark.training;

import io.sparkgrad.spark.InvalidInputException;
import java.util.Iterator;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Reads a partition's rows once into float32 blocks, checking every value. A bad value stops the
 * fit with its column, partition, row offset and value: nothing is dropped or coerced silently.
 */
public final class PartitionPacker {
  private PartitionPacker() {}

  public static PackedPartition pack(int partition, Iterator<Row> rows, ColumnPlan plan) {
    FloatBuffer tx = new FloatBuffer();
    FloatBuffer ty = new FloatBuffer();
    FloatBuffer tw = new FloatBuffer();
    FloatBuffer vx = new FloatBuffer();
    FloatBuffer vy = new FloatBuffer();
    FloatBuffer vw = new FloatBuffer();
    long offset = 0;
    long skipped = 0;
    FloatBuffer[] all = {tx, ty, tw, vx, vy, vw};
    int[] marks = new int[all.length];
    while (rows.hasNext()) {
      Row row = rows.next();
      Where where = new Where(partition, offset++);
      for (int i = 0; i < all.length; i++) {
        marks[i] = all[i].size();
      }
      try {
        boolean validation = plan.hasValidation() && isValidation(row, plan, where);
        readFeatures(row, plan, where, validation ? vx : tx);
        readLabel(row, plan, where, validation ? vy : ty);
        if (plan.hasWeights()) {
          (validation ? vw : tw).add(readWeight(row, plan, where));
        }
      } catch (InvalidInputException e) {
        if (!plan.skipInvalid()) {
          throw e;
        }
        for (int i = 0; i < all.length; i++) {
          all[i].truncate(marks[i]);
        }
        skipped++;
      }
    }
    return new PackedPartition(
        partition,
        plan.inputSize(),
        plan.targetSize(),
        tx.toArray(),
        ty.toArray(),
        plan.hasWeights() ? tw.toArray() : null,
        vx.toArray(),
        vy.toArray(),
        plan.hasWeights() ? vw.toArray() : null,
        skipped);
  }

  /** Where a row sits: its partition and 0-based offset within it. */
  record Where(int partition, long offset) {
    @Override
    public String toString() {
      return "partition " + partition + ", row " + offset;
    }
  }

  private static void readFeatures(Row row, ColumnPlan plan, Where where, FloatBuffer out) {
    if (row.isNullAt(0)) {
      throw bad(plan.featuresCol(), where, "null", "a Vector", "drop or fill rows with nulls");
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != plan.inputSize()) {
      throw bad(
          plan.featuresCol(),
          where,
          "a vector of length " + v.size(),
          "length " + plan.inputSize() + " (layers[0])",
          "set layers[0] to the feature vector length or fix the assembler's input columns");
    }
    if (v instanceof SparseVector sv) {
      int[] idx = sv.indices();
      double[] vals = sv.values();
      int j = 0;
      for (int i = 0; i < v.size(); i++) {
        double d = 0;
        if (j < idx.length && idx[j] == i) {
          d = vals[j++];
          checkFinite(plan.featuresCol(), where, i, d);
        }
        out.add((float) d);
      }
      return;
    }
    double[] vals = ((DenseVector) v).values();
    for (int i = 0; i < vals.length; i++) {
      checkFinite(plan.featuresCol(), where, i, vals[i]);
      out.add((float) vals[i]);
    }
  }

  private static void checkFinite(String col, Where where, int index, double value) {
    if (!Double.isFinite(value)) {
      throw bad(
          col,
          where,
          value + " at vector index " + index,
          "finite numbers",
          "clean or impute the features (e.g. with Imputer) before fit");
    }
  }

  private static void readLabel(Row row, ColumnPlan plan, Where where, FloatBuffer out) {
    String col = plan.labelCol();
    if (row.isNullAt(1)) {
      throw bad(col, where, "null", "a label", "drop or fill rows with null labels");
    }
    if (plan.labelIsVector()) {
      Vector v = (Vector) row.get(1);
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
        out.add((float) d);
      }
      return;
    }
    double label = ((Number) row.get(1)).doubleValue();
    switch (plan.loss()) {
      case "cross_entropy":
        if (!(label >= 0 && label < plan.numClasses()) || label != Math.rint(label)) {
          throw bad(
              col,
              where,
              String.valueOf(label),
              "an integer class index in [0, " + plan.numClasses() + ") for cross_entropy",
              "index labels with StringIndexer, or set the last entry of layers to the number"
                  + " of classes");
        }
        break;
      case "bce":
        if (label != 0 && label != 1) {
          throw bad(
              col, where, String.valueOf(label), "0 or 1 for bce", "map the labels to 0 and 1");
        }
        break;
      default:
        if (!Double.isFinite(label)) {
          throw bad(col, where, String.valueOf(label), "a finite target", "clean the labels");
        }
    }
    out.add((float) label);
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
