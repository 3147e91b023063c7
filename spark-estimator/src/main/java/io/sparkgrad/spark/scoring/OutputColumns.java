package io.sparkgrad.spark.scoring;

import io.sparkgrad.engine.ops.Elementwise;
import io.sparkgrad.engine.ops.Softmax;
import io.sparkgrad.engine.train.LossKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The columns a model appends, in Spark's conventions so the stock evaluators work: cross_entropy
 * gives rawPrediction (logits), probability (softmax) and prediction (argmax); bce gives
 * rawPrediction [-z, z], probability [1-p, p] and prediction (p > threshold); mse gives prediction,
 * a Double for one output or a Vector for several. An empty column name omits it.
 */
public record OutputColumns(
    LossKind loss,
    int outputs,
    String rawCol,
    String probabilityCol,
    String predictionCol,
    double threshold)
    implements Serializable {

  public OutputColumns {
    if (!loss.isClassifier()) {
      rawCol = "";
      probabilityCol = "";
    }
  }

  public List<StructField> fields() {
    List<StructField> out = new ArrayList<>();
    if (!rawCol.isEmpty()) {
      out.add(DataTypes.createStructField(rawCol, SQLDataTypes.VectorType(), false));
    }
    if (!probabilityCol.isEmpty()) {
      out.add(DataTypes.createStructField(probabilityCol, SQLDataTypes.VectorType(), false));
    }
    if (!predictionCol.isEmpty()) {
      boolean vector = loss == LossKind.MSE && outputs > 1;
      out.add(
          DataTypes.createStructField(
              predictionCol, vector ? SQLDataTypes.VectorType() : DataTypes.DoubleType, false));
    }
    return out;
  }

  /** The appended values of row {@code r} of a block of raw outputs. */
  public Object[] values(float[] out, int r) {
    List<Object> v = new ArrayList<>(3);
    int k = outputs;
    switch (loss) {
      case CROSS_ENTROPY:
        {
          double[] raw = new double[k];
          float[] p = new float[k];
          float[] z = new float[k];
          for (int j = 0; j < k; j++) {
            raw[j] = out[r * k + j];
            z[j] = out[r * k + j];
          }
          Softmax.rowsSoftmax(z, p, k);
          double[] prob = new double[k];
          int best = 0;
          for (int j = 0; j < k; j++) {
            prob[j] = p[j];
            best = raw[j] > raw[best] ? j : best;
          }
          add(v, rawCol, new DenseVector(raw));
          add(v, probabilityCol, new DenseVector(prob));
          add(v, predictionCol, (double) best);
          break;
        }
      case BCE:
        {
          double z = out[r];
          double p = Elementwise.sigmoid(out[r]);
          add(v, rawCol, new DenseVector(new double[] {-z, z}));
          add(v, probabilityCol, new DenseVector(new double[] {1 - p, p}));
          add(v, predictionCol, p > threshold ? 1.0 : 0.0);
          break;
        }
      default:
        {
          if (k == 1) {
            add(v, predictionCol, (double) out[r]);
          } else {
            double[] y = new double[k];
            for (int j = 0; j < k; j++) {
              y[j] = out[r * k + j];
            }
            add(v, predictionCol, new DenseVector(y));
          }
        }
    }
    return v.toArray();
  }

  private static void add(List<Object> v, String col, Object value) {
    if (!col.isEmpty()) {
      v.add(value);
    }
  }
}
