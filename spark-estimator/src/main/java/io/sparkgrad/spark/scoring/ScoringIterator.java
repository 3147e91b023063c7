package io.sparkgrad.spark.scoring;

import io.sparkgrad.spark.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Scores a partition in blocks: pack up to {@code BLOCK} rows, one forward, emit the rows. */
public final class ScoringIterator<T> implements Iterator<T> {
  static final int BLOCK = 1024;

  private final Iterator<T> input;
  private final RowFormat<T> format;
  private final Scorer scorer;
  private final OutputColumns columns;
  private final FeatureColumns features;
  private final int partition;
  private final List<T> pending = new ArrayList<>(BLOCK);
  private final float[] x;
  private float[] outputs;
  private int next;
  private long offset;

  public ScoringIterator(
      Iterator<T> input,
      RowFormat<T> format,
      Scorer scorer,
      OutputColumns columns,
      FeatureColumns features,
      int partition) {
    this.input = input;
    this.format = format;
    this.scorer = scorer;
    this.columns = columns;
    this.features = features;
    this.partition = partition;
    this.x = new float[BLOCK * scorer.spec().inputSize()];
  }

  @Override
  public boolean hasNext() {
    if (next < pending.size()) {
      return true;
    }
    return fill();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T row = pending.get(next);
    return format.append(row, columns.values(outputs, next++));
  }

  private boolean fill() {
    pending.clear();
    next = 0;
    int d = scorer.spec().inputSize();
    while (pending.size() < BLOCK && input.hasNext()) {
      T row = input.next();
      writeFeatures(row, pending.size() * d, d);
      pending.add(format.retain(row));
    }
    if (pending.isEmpty()) {
      return false;
    }
    outputs =
        scorer.forward(
            pending.size() == BLOCK ? x : Arrays.copyOf(x, pending.size() * d), pending.size());
    return true;
  }

  private void writeFeatures(T row, int off, int d) {
    long at = offset++;
    if (features.isNumbers()) {
      for (int c = 0; c < d; c++) {
        if (format.isNull(row, c)) {
          throw bad(c, at, "null", "a number", "fill or drop the rows with nulls");
        }
        x[off + c] = (float) format.number(row, c);
      }
      return;
    }
    String expected = "a Vector or array of the model's input size, without nulls";
    if (format.isNull(row, 0)) {
      throw bad(0, at, "null", expected, "drop or fill rows with null features");
    }
    int size = format.featuresSize(row);
    if (size != d) {
      throw bad(
          0,
          at,
          features.kind().ofLength(size),
          expected,
          "score vectors of length " + d + " (layers[0]), or arrays as long");
    }
    String problem = format.writeFeatures(row, x, off);
    if (problem != null) {
      throw bad(
          0,
          at,
          problem,
          expected,
          "rebuild sparse vectors with Vectors.sparse, which checks indices; fill or drop rows"
              + " whose arrays hold nulls");
    }
  }

  /** Features column {@code c} of the row at offset {@code at} has {@code got}. */
  private InvalidInputException bad(int c, long at, String got, String expected, String fix) {
    return new InvalidInputException(
        "Column '"
            + features.name(c)
            + "' at partition "
            + partition
            + ", row "
            + at
            + " has "
            + got
            + "; expected "
            + expected
            + ". To fix: "
            + fix
            + ".");
  }
}
