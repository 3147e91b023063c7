package io.sparkgrad.examples;

import io.sparkgrad.engine.blas.Blas;
import io.sparkgrad.engine.io.MnistFiles;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.spark.MLPEstimator;
import io.sparkgrad.spark.MLPModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The tutorial's MNIST MLP (784-512-256-128-64-10, ReLU, cross entropy, SGD 0.01 momentum 0.5,
 * batch 64, 10 epochs) as a Spark job. The test set is the validation set, so every epoch prints
 * its test accuracy. Saves the model and a PNG learning curve. {@code --dropout 0.1} adds dropout
 * after each hidden activation during training.
 */
public final class Mnist {
  private Mnist() {}

  /** The tutorial's layer sizes, shared with the benchmarks that time this recipe. */
  public static int[] layers() {
    return new int[] {784, 512, 256, 128, 64, 10};
  }

  public static void main(String[] argv) throws Exception {
    ExampleArgs args =
        new ExampleArgs(
            argv,
            Set.of(
                "data",
                "output",
                "epochs",
                "partitions",
                "workers",
                "master",
                "lr",
                "seed",
                "dropout"));
    long t0 = System.nanoTime();
    int partitions = args.getInt("partitions", 2);
    SparkSession spark =
        Sessions.start("sparkgrad MNIST", args.get("master", "local[" + partitions + "]"));
    Path data = MnistFiles.locate(args.get("data", null));
    Dataset<Row> train =
        MnistReader.read(spark, data, "train", partitions)
            .withColumn("isTest", functions.lit(false));
    Dataset<Row> test =
        MnistReader.read(spark, data, "test", partitions).withColumn("isTest", functions.lit(true));
    System.out.printf(
        "MNIST from %s; BLAS backend %s; %d partitions; dropout %s%n",
        data, Blas.backend(), partitions, args.getDouble("dropout", 0));
    MLPEstimator mlp =
        new MLPEstimator()
            .setLayers(layers())
            .setActivation("relu")
            .setLoss("cross_entropy")
            .setOptimizer("sgd")
            .setLearningRate(args.getDouble("lr", 0.01))
            .setMomentum(0.5)
            .setBatchSize(64)
            .setMaxEpochs(args.getInt("epochs", 10))
            .setSeed(args.getInt("seed", 1))
            .setNumWorkers(args.getInt("workers", 0))
            .setDropout(args.getDouble("dropout", 0))
            .setValidationIndicatorCol("isTest");
    MLPModel model = mlp.fit(train.union(test));
    for (EpochStats e : model.summary().epochs()) {
      System.out.printf(
          "epoch %2d  train loss %.4f  test loss %.4f  test accuracy %.2f%%  %.2f s%n",
          e.epoch(), e.trainLoss(), e.validationLoss(), 100 * e.validationMetric(), e.seconds());
    }
    double accuracy =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test.drop("isTest")));
    System.out.printf(
        "Test accuracy %.2f%% (%d workers at lr %.3f, combining every %d steps); %.1f s from the"
            + " start of main%n",
        100 * accuracy,
        model.summary().numWorkers(),
        model.summary().learningRate(),
        model.summary().syncInterval(),
        (System.nanoTime() - t0) / 1e9);
    Path out = Path.of(args.get("output", "models/mnist"));
    model.write().overwrite().save(out.toString());
    Files.createDirectories(out);
    LearningCurve.write(model.summary().epochs(), "accuracy", out);
    System.out.println("Saved the model, learning-curve.png and history.csv to " + out);
    spark.stop();
  }
}
