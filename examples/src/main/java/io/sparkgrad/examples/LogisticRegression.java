package io.sparkgrad.examples;

import io.sparkgrad.spark.MLPModel;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.SparkSession;

/**
 * The tutorial's logistic regression: x = 1, 2, 3 with labels 0, 0, 1; one Linear(1, 1) with a
 * sigmoid, binary cross entropy, SGD. As in {@link LinearRegression}, the tutorial's summed loss at
 * lr 0.01 is the estimator's mean loss at lr 0.03.
 */
public final class LogisticRegression {
  private LogisticRegression() {}

  public static void main(String[] argv) throws Exception {
    ExampleArgs args = new ExampleArgs(argv, Set.of("epochs", "seed", "output", "master"));
    SparkSession spark =
        Sessions.start("sparkgrad logistic regression", args.get("master", "local[1]"));
    MLPModel model = TinyData.fitThreePoints(spark, args, "bce", new double[] {0, 0, 1});
    Vector p4 = (Vector) model.predictRow(Vectors.dense(4))[1];
    float w = model.weightArrays().get("0.weight")[0];
    float b = model.weightArrays().get("0.bias")[0];
    System.out.printf("p(pass | x = 4) = %.4f; decision boundary x = %.4f%n", p4.apply(1), -b / w);
    model.write().overwrite().save(args.get("output", "models/logistic-regression"));
    spark.stop();
  }
}
