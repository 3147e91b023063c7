package io.sparkgrad.spark.persistence;

import io.sparkgrad.spark.MLPModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;

/** Saves Spark's params metadata JSON plus the versioned {@code data/} folder. */
public final class MLPModelWriter extends MLWriter {
  private final MLPModel model;

  public MLPModelWriter(MLPModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
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
