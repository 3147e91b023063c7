package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.io.IdxReader;
import io.sparkgrad.engine.io.MnistFiles;
import io.sparkgrad.engine.testdata.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The tutorial's MNIST recipe on 4 workers reaches 97%. */
class MnistFourPartitionsTest {
  @Test
  void reaches97PercentInTenEpochs() {
    Dataset<Row> train = mnist("train", 4);
    Dataset<Row> test = mnist("t10k", 2);
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
            .setNumWorkers(4)
            .fit(train);
    assertEquals(4, model.summary().numWorkers());
    double acc =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test));
    System.out.printf(
        "MNIST, 4 partitions, 10 epochs: test accuracy %.4f, seconds per epoch %s%n",
        acc, java.util.Arrays.toString(model.summary().secondsPerEpoch()));
    assertTrue(acc >= 0.97, "test accuracy " + acc);
  }

  /**
   * features (pixels normalised as the tutorial does) and label, in {@code partitions} contiguous
   * slices: the engine's IDX reader on the driver, which is enough for a test (the examples'
   * MnistReader reads in the tasks).
   */
  static Dataset<Row> mnist(String split, int partitions) {
    float[] x = IdxReader.images(file(split + "-images-idx3-ubyte"));
    float[] y = IdxReader.labels(file(split + "-labels-idx1-ubyte"));
    int d = x.length / y.length;
    List<Row> rows = new ArrayList<>(y.length);
    for (int i = 0; i < y.length; i++) {
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = (x[i * d + j] / 255.0 - 0.1307) / 0.3081;
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) y[i]));
    }
    StructType schema =
        new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false);
    return SparkTestSession.ordered(SparkTestSession.get(), rows, partitions, schema);
  }

  private static Path file(String name) {
    return MnistFiles.file(TestData.mnist(), name);
  }
}
