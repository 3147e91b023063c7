package io.sparkgrad.examples;

import io.sparkgrad.spark.MLPModel;
import java.util.Set;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.SparkSession;

/**
 * The tutorial's first program: y = 2x from three points with one Linear(1, 1), MSE, SGD 0.01. The
 * tutorial sums the loss over its batch of three; the estimator averages it, so the same steps need
 * three times the learning rate (0.03).
 */
public final class LinearRegression {
  private LinearRegression() {}

  public static void main(String[] argv) throws Exception {
    ExampleArgs args = new ExampleArgs(argv, Set.of("epochs", "seed", "output", "master"));
    SparkSession spark =
        Sessions.start("sparkgrad linear regression", args.get("master", "local[1]"));
    MLPModel model = TinyData.fitThreePoints(spark, args, "mse", new double[] {2, 4, 6});
    float w = model.weightArrays().get("0.weight")[0];
    float b = model.weightArrays().get("0.bias")[0];
    System.out.printf(
        "w = %.5f, b = %.5f, prediction for x = 4: %.5f%n", w, b, model.predict(Vectors.dense(4)));
    model.write().overwrite().save(args.get("output", "models/linear-regression"));
    spark.stop();
  }
}
