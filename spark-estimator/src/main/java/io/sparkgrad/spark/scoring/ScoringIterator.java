package io.sparkgrad.spark.scoring;

import io.sparkgrad.spark.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Scores a partition in blocks: pack up to {@code BLOCK} rows, one forward, emit the rows. */
public final class ScoringIterator implements Iterator<Row> {
  static final int BLOCK = 1024;

  private final Iterator<Row> input;
  private final Scorer scorer;
  private final OutputColumns columns;
  private final int featuresIndex;
  private final String featuresCol;
  private final int partition;
  private final List<Row> pending = new ArrayList<>(BLOCK);
  private float[] outputs;
  private int next;
  private long offset;

  public ScoringIterator(
      Iterator<Row> input,
      Scorer scorer,
      OutputColumns columns,
      int featuresIndex,
      String featuresCol,
      int partition) {
    this.input = input;
    this.scorer = scorer;
    this.columns = columns;
    this.featuresIndex = featuresIndex;
    this.featuresCol = featuresCol;
    this.partition = partition;
  }

  @Override
  public boolean hasNext() {
    if (next < pending.size()) {
      return true;
    }
    return fill();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row row = pending.get(next);
    Object[] extra = columns.values(outputs, next++);
    Object[] values = new Object[row.length() + extra.length];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    System.arraycopy(extra, 0, values, row.length(), extra.length);
    return RowFactory.create(values);
  }

  private boolean fill() {
    pending.clear();
    next = 0;
    int d = scorer.spec().inputSize();
    float[] x = new float[BLOCK * d];
    while (pending.size() < BLOCK && input.hasNext()) {
      Row row = input.next();
      writeFeatures(row, x, pending.size() * d, d);
      pending.add(row);
    }
    if (pending.isEmpty()) {
      return false;
    }
    outputs =
        scorer.forward(
            pending.size() == BLOCK ? x : Arrays.copyOf(x, pending.size() * d), pending.size());
    return true;
  }

  private void writeFeatures(Row row, float[] x, int off, int d) {
    long at = offset++;
    if (row.isNullAt(featuresIndex)) {
      throw bad(at, "null", "drop or fill rows with null features");
    }
    Vector v = (Vector) row.get(featuresIndex);
    if (v.size() != d) {
      throw bad(
          at, "a vector of length " + v.size(), "score vectors of length " + d + " (layers[0])");
    }
    double[] values = v instanceof DenseVector dv ? dv.values() : v.toArray();
    for (int i = 0; i < d; i++) {
      x[off + i] = (float) values[i];
    }
  }

  private InvalidInputException bad(long at, String got, String fix) {
    return new InvalidInputException(
        "Column '"
            + featuresCol
            + "' at partition "
            + partition
            + ", row "
            + at
            + " has "
            + got
            + "; expected a Vector of the model's input size. To fix: "
            + fix
            + ".");
  }
}
