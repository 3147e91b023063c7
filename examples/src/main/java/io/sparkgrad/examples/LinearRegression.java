package io.sparkgrad.examples;

import io.sparkgrad.spark.MLPEstimator;
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
    MLPModel model =
        new MLPEstimator()
            .setLayers(new int[] {1, 1})
            .setLoss("mse")
            .setOptimizer("sgd")
            .setLearningRate(0.03)
            .setBatchSize(3)
            .setShuffle(false)
            .setMaxEpochs(args.getInt("epochs", 1000))
            .setSeed(args.getInt("seed", 0))
            .fit(TinyData.frame(spark, new double[] {1, 2, 3}, new double[] {2, 4, 6}));
    double[] loss = model.summary().trainLossHistory();
    for (int e = 0; e < loss.length; e += Math.max(1, loss.length / 10)) {
      System.out.printf("epoch %4d  loss %.6f%n", e + 1, loss[e]);
    }
    float w = model.weightArrays().get("0.weight")[0];
    float b = model.weightArrays().get("0.bias")[0];
    System.out.printf(
        "w = %.5f, b = %.5f, prediction for x = 4: %.5f%n", w, b, model.predict(Vectors.dense(4)));
    model.write().overwrite().save(args.get("output", "models/linear-regression"));
    spark.stop();
  }
}
