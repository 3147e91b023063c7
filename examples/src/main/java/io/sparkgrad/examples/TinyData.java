package io.sparkgrad.examples;

import io.sparkgrad.spark.MLPEstimator;
import io.sparkgrad.spark.MLPModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The tutorial's first two programs share their shape: one Linear(1, 1) fitted by full-batch SGD to
 * three points, x = 1, 2, 3. The tutorial sums the loss over the three; the estimator averages it,
 * so the same steps need three times the tutorial's learning rate of 0.01.
 */
final class TinyData {
  private TinyData() {}

  static final StructType SCHEMA =
      new StructType()
          .add("features", SQLDataTypes.VectorType(), false)
          .add("label", DataTypes.DoubleType, false);

  static Dataset<Row> frame(SparkSession spark, double[] x, double[] y) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(x[i]), y[i]));
    }
    return spark.createDataFrame(rows, SCHEMA).coalesce(1);
  }

  /** Fits Linear(1, 1) with {@code loss} to y at x = 1, 2, 3 and prints a tenth of the epochs. */
  static MLPModel fitThreePoints(SparkSession spark, ExampleArgs args, String loss, double[] y) {
    MLPModel model =
        new MLPEstimator()
            .setLayers(new int[] {1, 1})
            .setLoss(loss)
            .setOptimizer("sgd")
            .setLearningRate(0.03)
            .setBatchSize(3)
            .setShuffle(false)
            .setMaxEpochs(args.getInt("epochs", 1000))
            .setSeed(args.getInt("seed", 0))
            .fit(frame(spark, new double[] {1, 2, 3}, y));
    double[] history = model.summary().trainLossHistory();
    for (int e = 0; e < history.length; e += Math.max(1, history.length / 10)) {
      System.out.printf("epoch %4d  loss %.6f%n", e + 1, history[e]);
    }
    return model;
  }
}
