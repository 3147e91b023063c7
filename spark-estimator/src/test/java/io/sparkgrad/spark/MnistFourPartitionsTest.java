package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import io.sparkgrad.spark.data.MnistReader;
import java.nio.file.Path;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The tutorial's MNIST recipe over 4 partitions, averaging once per epoch, reaches 97%. */
class MnistFourPartitionsTest {
  @Test
  void reaches97PercentInTenEpochs() {
    Path mnist = TestData.mnist();
    Dataset<Row> train = MnistReader.read(SparkTestSession.get(), mnist, "train", 4);
    Dataset<Row> test = MnistReader.read(SparkTestSession.get(), mnist, "test", 2);
    MLPModel model =
        new MLPEstimator()
            .setLayers(new int[] {784, 512, 256, 128, 64, 10})
            .setActivation("relu")
            .setLoss("cross_entropy")
            .setOptimizer("sgd")
            .setLearningRate(0.01)
            .setMomentum(0.5)
            .setBatchSize(64)
            .setMaxEpochs(10)
            .setSeed(1)
            .fit(train);
    assertEquals(4, model.summary().partitions());
    double acc =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test));
    System.out.printf(
        "MNIST, 4 partitions, 10 epochs: test accuracy %.4f, seconds per epoch %s%n",
        acc, java.util.Arrays.toString(model.summary().secondsPerEpoch()));
    assertTrue(acc >= 0.97, "test accuracy " + acc);
  }
}
