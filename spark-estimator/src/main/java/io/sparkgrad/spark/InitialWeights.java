package io.sparkgrad.spark;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.spark.persistence.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** A warm start: a safetensors state dict (e.g. saved from PyTorch) matched to the layers. */
final class InitialWeights {
  private InitialWeights() {}

  /**
   * Reads {@code path} through {@code conf}, the session's Hadoop configuration, so {@code
   * spark.hadoop.*} settings (credentials, endpoints) apply.
   */
  static Map<String, float[]> read(String path, MlpSpec spec, Configuration conf) {
    try {
      Path p = new Path(path);
      long bound = spec.parameterCount() * 8 + (1 << 20);
      byte[] bytes = ModelFiles.readBounded(p, bound, conf);
      Map<String, Tensor> tensors = SafeTensors.fromBytes(bytes, path).tensors();
      return ModelFiles.checkWeights(spec, tensors, "initialWeightsPath " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read initialWeightsPath " + path, e);
    }
  }
}
