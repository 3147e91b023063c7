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

  /**
   * The tutorial's estimator, with the command line's learning rate, epochs, seed, workers and
   * optional schedule: {@code --schedule constant|step|exponential|cosine}, {@code --warmup}
   * epochs, {@code --step-size} and {@code --gamma} (step, exponential), {@code --min-lr} (cosine)
   * and {@code --max-grad-norm} (clipping), and {@code --dropout} (rate after each hidden
   * activation). Options not given keep the estimator's defaults, so a schedule's checks see only
   * what was asked for.
   */
  static MLPEstimator estimator(ExampleArgs args) {
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
            .setValidationIndicatorCol("isTest")
            .setDropout(args.getDouble("dropout", 0))
            .setLrSchedule(args.get("schedule", "constant"));
    if (args.has("warmup")) {
      mlp.setWarmupEpochs(args.getInt("warmup", 0));
    }
    if (args.has("step-size")) {
      mlp.setLrStepSize(args.getInt("step-size", 1));
    }
    if (args.has("gamma")) {
      mlp.setLrGamma(args.getDouble("gamma", 0.1));
    }
    if (args.has("min-lr")) {
      mlp.setMinLearningRate(args.getDouble("min-lr", 0));
    }
    if (args.has("max-grad-norm")) {
      mlp.setMaxGradNorm(args.getDouble("max-grad-norm", 0));
    }
    return mlp;
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
                "schedule",
                "warmup",
                "step-size",
                "gamma",
                "min-lr",
                "max-grad-norm",
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
    MLPModel model = estimator(args).fit(train.union(test));
    for (EpochStats e : model.summary().epochs()) {
      System.out.printf(
          "epoch %2d  lr %.4g  train loss %.4f  test loss %.4f  test accuracy %.2f%%  %.2f s%n",
          e.epoch(),
          e.learningRate(),
          e.trainLoss(),
          e.validationLoss(),
          100 * e.validationMetric(),
          e.seconds());
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
