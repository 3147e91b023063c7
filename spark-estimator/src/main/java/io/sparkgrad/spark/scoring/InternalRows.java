package io.sparkgrad.spark.scoring;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Spark's binary rows: the features are read straight from the vector's struct (type, size,
 * indices, values; type 1 is dense) and the input columns pass through as bytes, never decoded.
 */
public record InternalRows(int featuresIndex) implements RowFormat<InternalRow> {
  private static final int VECTOR_FIELDS = 4;
  private static final VectorUDT VECTORS = new VectorUDT();

  @Override
  public boolean featuresNull(InternalRow row) {
    return row.isNullAt(featuresIndex);
  }

  @Override
  public int featuresSize(InternalRow row) {
    InternalRow v = row.getStruct(featuresIndex, VECTOR_FIELDS);
    return v.getByte(0) == 1 ? v.getArray(3).numElements() : v.getInt(1);
  }

  @Override
  public boolean writeFeatures(InternalRow row, float[] x, int off) {
    InternalRow v = row.getStruct(featuresIndex, VECTOR_FIELDS);
    ArrayData values = v.getArray(3);
    int n = values.numElements();
    if (v.getByte(0) == 1) {
      for (int i = 0; i < n; i++) {
        x[off + i] = (float) values.getDouble(i);
      }
    } else {
      ArrayData indices = v.getArray(2);
      int size = v.getInt(1);
      Arrays.fill(x, off, off + size, 0f);
      for (int i = 0; i < n; i++) {
        int k = indices.getInt(i);
        if (k < 0 || k >= size) {
          return false;
        }
        x[off + k] = (float) values.getDouble(i);
      }
    }
    return true;
  }

  @Override
  public InternalRow retain(InternalRow row) {
    return row.copy();
  }

  @Override
  public InternalRow append(InternalRow row, Object[] extra) {
    Object[] values = new Object[extra.length];
    for (int i = 0; i < extra.length; i++) {
      values[i] = extra[i] instanceof Vector vec ? VECTORS.serialize(vec) : extra[i];
    }
    return new JoinedRow(row, new GenericInternalRow(values));
  }
}
