package io.sparkgrad.spark.scoring;

import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** {@code Row}s as {@code Dataset.mapPartitions} hands them over. */
public record ExternalRows(int featuresIndex, FeaturesKind kind) implements RowFormat<Row> {

  @Override
  public boolean featuresNull(Row row) {
    return row.isNullAt(featuresIndex);
  }

  @Override
  public int featuresSize(Row row) {
    return kind.isArray()
        ? row.getList(featuresIndex).size()
        : ((Vector) row.get(featuresIndex)).size();
  }

  @Override
  public String writeFeatures(Row row, float[] x, int off) {
    if (kind.isArray()) {
      List<Object> values = row.getList(featuresIndex);
      for (int i = 0; i < values.size(); i++) {
        if (!(values.get(i) instanceof Number n)) {
          return "null at array index " + i;
        }
        x[off + i] = n.floatValue();
      }
      return null;
    }
    Vector v = (Vector) row.get(featuresIndex);
    double[] values = v instanceof DenseVector dv ? dv.values() : v.toArray();
    for (int i = 0; i < values.length; i++) {
      x[off + i] = (float) values[i];
    }
    return null;
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
