package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** One model shared by many threads, predicting and transforming, gives the serial results. */
class ConcurrentScoringTest {

  @Test
  void manyThreadsMatchSerialUse() throws Exception {
    List<Row> rows = SparkTestSession.rows(400, 6, 3, 13);
    Dataset<Row> frame = SparkTestSession.ordered(rows, 2);
    MLPModel model = new MLPEstimator().setLayers(new int[] {6, 16, 3}).setMaxEpochs(2).fit(frame);
    // A fresh copy, so the threads race on its lazily built scorer too.
    MLPModel shared = MLPModel.load(save(model));
    double[] serial = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      serial[i] = model.predict((Vector) rows.get(i).get(0));
    }
    List<Row> serialFrame = model.transform(frame).select("probability").collectAsList();

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<double[]>> predictions = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        predictions.add(
            pool.submit(
                () -> {
                  double[] out = new double[rows.size()];
                  for (int i = 0; i < rows.size(); i++) {
                    out[i] = shared.predict((Vector) rows.get(i).get(0));
                  }
                  return out;
                }));
      }
      List<Future<List<Row>>> frames = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        frames.add(
            pool.submit(() -> shared.transform(frame).select("probability").collectAsList()));
      }
      for (Future<double[]> f : predictions) {
        double[] got = f.get();
        for (int i = 0; i < got.length; i++) {
          assertEquals(serial[i], got[i], 0.0, "row " + i);
        }
      }
      for (Future<List<Row>> f : frames) {
        assertEquals(serialFrame, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String save(MLPModel model) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("concurrent-model");
    String path = dir.resolve("m").toString();
    model.write().save(path);
    return path;
  }
}
