package io.sparkgrad.spark.scoring;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** {@code Row}s as {@code Dataset.mapPartitions} hands them over. */
public record ExternalRows(int featuresIndex) implements RowFormat<Row> {

  @Override
  public boolean featuresNull(Row row) {
    return row.isNullAt(featuresIndex);
  }

  @Override
  public int featuresSize(Row row) {
    return ((Vector) row.get(featuresIndex)).size();
  }

  @Override
  public boolean writeFeatures(Row row, float[] x, int off) {
    Vector v = (Vector) row.get(featuresIndex);
    double[] values = v instanceof DenseVector dv ? dv.values() : v.toArray();
    for (int i = 0; i < values.length; i++) {
      x[off + i] = (float) values[i];
    }
    return true;
  }

  @Override
  public Row retain(Row row) {
    return row;
  }

  @Override
  public Row append(Row row, Object[] extra) {
    Object[] values = new Object[row.length() + extra.length];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    System.arraycopy(extra, 0, values, row.length(), extra.length);
    return RowFactory.create(values);
  }
}
