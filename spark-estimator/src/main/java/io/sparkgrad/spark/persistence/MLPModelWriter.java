package io.sparkgrad.spark.persistence;

import io.sparkgrad.spark.MLPModel;
import io.sparkgrad.spark.internal.SparkInternals;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLWriter;

/** Saves Spark's params metadata JSON plus the versioned {@code data/} folder. */
public final class MLPModelWriter extends MLWriter {
  private final MLPModel model;

  public MLPModelWriter(MLPModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    SparkInternals.saveParams(model, path, sparkSession());
    try {
      ModelFiles.write(
          new Path(path, "data").toString(),
          model.spec(),
          model.weights(),
          sparkSession().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the model's data under " + path, e);
    }
  }
}
