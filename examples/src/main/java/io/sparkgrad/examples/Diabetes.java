package io.sparkgrad.examples;

import io.sparkgrad.engine.train.ClassWeights;
import io.sparkgrad.spark.MLPEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The tutorial's Pima diabetes MLP (8-6-4-1, sigmoid, binary cross entropy, batch 32, 100 epochs)
 * as a Spark Pipeline: VectorAssembler, StandardScaler, MLP, on the raw CSV with a header and a
 * held-out test split. First with the tutorial's SGD 0.01, which stays at the majority class (as
 * PyTorch does), then the same Pipeline with Adam. {@code --class-weights balanced} (or {@code
 * --class-weights 1,1.9} for [negative, positive]) weighs the rarer diabetic rows up, which trades
 * some accuracy for finding more of them.
 */
public final class Diabetes {
  private Diabetes() {}

  /** The repository's copy of the raw Pima CSV (see data/diabetes/SOURCE.md). */
  static final String DEFAULT_DATA = "data/diabetes/diabetes.raw-kaggle.csv";

  static final String[] FEATURES = {
    "Pregnancies", "Glucose", "BloodPressure", "SkinThickness",
    "Insulin", "BMI", "DiabetesPedigreeFunction", "Age"
  };

  public static void main(String[] argv) throws Exception {
    ExampleArgs args =
        new ExampleArgs(
            argv, Set.of("data", "epochs", "seed", "output", "master", "class-weights"));
    Path csv = locate(args.get("data", null));
    SparkSession spark = Sessions.start("sparkgrad diabetes", args.get("master", "local[1]"));
    Dataset<Row> all =
        spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(csv.toString())
            .withColumn("label", functions.col("Outcome").cast("double"))
            .coalesce(1);
    Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 42);
    Dataset<Row> train = split[0].cache();
    Dataset<Row> test = split[1].cache();
    System.out.printf("%d training rows, %d test rows from %s%n", train.count(), test.count(), csv);
    String classWeights = args.get("class-weights", "none");
    printClassWeights(classWeights, train);
    int epochs = args.getInt("epochs", 100);
    long seed = args.getInt("seed", 0);
    for (String optimizer : new String[] {"sgd", "adam"}) {
      MLPEstimator mlp =
          new MLPEstimator()
              .setFeaturesCol("scaled")
              .setLayers(new int[] {8, 6, 4, 1})
              .setActivation("sigmoid")
              .setLoss("bce")
              .setOptimizer(optimizer)
              .setLearningRate(0.01)
              .setBatchSize(32)
              .setMaxEpochs(epochs)
              .setSeed(seed);
      if (classWeights.equals("balanced")) {
        mlp.setBalancedClassWeights(true);
      } else if (!classWeights.equals("none")) {
        mlp.setClassWeights(parseWeights(classWeights));
      }
      Pipeline pipeline =
          new Pipeline()
              .setStages(
                  new PipelineStage[] {
                    new VectorAssembler().setInputCols(FEATURES).setOutputCol("features"),
                    new StandardScaler()
                        .setInputCol("features")
                        .setOutputCol("scaled")
                        .setWithMean(true)
                        .setWithStd(true),
                    mlp
                  });
      long t0 = System.nanoTime();
      PipelineModel model = pipeline.fit(train);
      double seconds = (System.nanoTime() - t0) / 1e9;
      var accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
      var auc = new BinaryClassificationEvaluator().setMetricName("areaUnderROC");
      Dataset<Row> scoredTrain = model.transform(train);
      Dataset<Row> scoredTest = model.transform(test);
      long positives = scoredTest.filter("prediction = 1").count();
      System.out.printf(
          "%-4s lr 0.01: train accuracy %.2f%%, test accuracy %.2f%%, test AUC %.3f,"
              + " %d of %d test rows predicted diabetic, fit %.2f s%n",
          optimizer,
          100 * accuracy.evaluate(scoredTrain),
          100 * accuracy.evaluate(scoredTest),
          auc.evaluate(scoredTest),
          positives,
          test.count(),
          seconds);
      model.write().overwrite().save(args.get("output", "models/diabetes") + "-" + optimizer);
    }
    spark.stop();
  }

  /** Says which class weights the fits use; balanced ones by the formula the fit applies. */
  private static void printClassWeights(String given, Dataset<Row> train) {
    if (given.equals("balanced")) {
      long positives = train.filter("label = 1").count();
      double[] counts = {train.count() - positives, positives};
      double[] weights = ClassWeights.balanced().resolve(counts).values();
      System.out.printf(
          "class weights: balanced, n_samples / (2 * count) on %.0f negative and %.0f positive"
              + " training rows = %s%n",
          counts[0], counts[1], Arrays.toString(weights));
    } else {
      System.out.println(
          "class weights: "
              + (given.equals("none") ? "none" : Arrays.toString(parseWeights(given))));
    }
  }

  /** "1,1.9" as [negative, positive] weights. */
  private static double[] parseWeights(String given) {
    return Arrays.stream(given.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  private static Path locate(String given) throws IOException {
    Path csv = Path.of(given != null ? given : DEFAULT_DATA);
    if (!Files.isRegularFile(csv)) {
      throw new IOException(
          "No Pima diabetes CSV at "
              + csv.toAbsolutePath()
              + (given != null ? "" : " (run from the repository root)")
              + "; pass --data PATH to the raw CSV with its header row.");
    }
    return csv;
  }
}
