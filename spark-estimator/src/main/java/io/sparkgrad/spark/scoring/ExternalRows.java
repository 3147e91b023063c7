package io.sparkgrad.spark.scoring;

import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code Row}s as {@code Dataset.mapPartitions} hands them over.
 *
 * @param indices the features columns' positions in the rows, in {@code features}' order
 */
public record ExternalRows(FeatureColumns features, int[] indices) implements RowFormat<Row> {

  @Override
  public boolean isNull(Row row, int c) {
    return row.isNullAt(indices[c]);
  }

  @Override
  public int featuresSize(Row row) {
    return features.kind().isArray()
        ? row.getList(indices[0]).size()
        : ((Vector) row.get(indices[0])).size();
  }

  @Override
  public String writeFeatures(Row row, float[] x, int off) {
    if (features.kind().isArray()) {
      List<Object> values = row.getList(indices[0]);
      for (int i = 0; i < values.size(); i++) {
        if (!(values.get(i) instanceof Number n)) {
          return "null at array index " + i;
        }
        x[off + i] = n.floatValue();
      }
      return null;
    }
    Vector v = (Vector) row.get(indices[0]);
    double[] values = v instanceof DenseVector dv ? dv.values() : v.toArray();
    for (int i = 0; i < values.length; i++) {
      x[off + i] = (float) values[i];
    }
    return null;
  }

  /** Byte to Long, Float, Double or BigDecimal: each a Number, whose double is exact or nearest. */
  @Override
  public double number(Row row, int c) {
    return ((Number) row.get(indices[c])).doubleValue();
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
