package io.sparkgrad.spark.persistence;

import io.sparkgrad.spark.MLPModel;
import io.sparkgrad.spark.internal.SparkInternals;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLReader;

/** Loads what {@link MLPModelWriter} saved, checking the data folder as untrusted input. */
public final class MLPModelReader extends MLReader<MLPModel> {
  @Override
  public MLPModel load(String path) {
    return SparkInternals.loadParams(
        path,
        sparkSession(),
        MLPModel.class,
        uid -> {
          ModelFiles.Loaded data;
          try {
            data =
                ModelFiles.read(
                    new Path(path, "data").toString(),
                    sparkSession().sparkContext().hadoopConfiguration());
          } catch (IOException e) {
            throw new UncheckedIOException("Could not read the model's data under " + path, e);
          }
          return new MLPModel(uid, data.spec(), data.weights());
        });
  }
}
