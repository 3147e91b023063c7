package io.sparkgrad.spark.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.MlpSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data folder of a saved model: {@code architecture.json} (versioned) and {@code
 * weights.safetensors} with PyTorch Sequential names. Read as untrusted input: sizes are bounded
 * before reading and every name and shape is checked against the architecture.
 */
public final class ModelFiles {
  public static final String FORMAT = "sparkgrad-mlp";
  public static final int VERSION = 1;
  static final long MAX_ARCHITECTURE_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  public static void write(
      String dir, MlpSpec spec, Map<String, Tensor> weights, Configuration conf)
      throws IOException {
    ObjectNode arch = JSON.createObjectNode();
    arch.put("format", FORMAT);
    arch.put("version", VERSION);
    arch.putPOJO("layers", spec.layers());
    arch.put("activation", spec.activation());
    arch.put("loss", spec.loss().paramName());
    writeBytes(new Path(dir, "architecture.json"), JSON.writeValueAsBytes(arch), conf);
    Map<String, String> meta = Map.of("format", "pt", "sparkgrad", JSON.writeValueAsString(arch));
    writeBytes(new Path(dir, "weights.safetensors"), SafeTensors.toBytes(weights, meta), conf);
  }

  private static void writeBytes(Path p, byte[] bytes, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(bytes);
    }
  }

  /** The architecture and weights in {@code dir}, or a {@link ModelFileException}. */
  public static Loaded read(String dir, Configuration conf) throws IOException {
    Path archPath = new Path(dir, "architecture.json");
    MlpSpec spec = parseArchitecture(readBounded(archPath, MAX_ARCHITECTURE_BYTES, conf), archPath);
    Path weightsPath = new Path(dir, "weights.safetensors");
    // The file holds float32 weights plus a header; allow the header generous room.
    long bound = spec.parameterCount() * 8 + (1 << 20);
    byte[] bytes = readBounded(weightsPath, bound, conf);
    Map<String, Tensor> tensors = SafeTensors.fromBytes(bytes, weightsPath.toString()).tensors();
    return new Loaded(spec, checkWeights(spec, tensors, weightsPath));
  }

  /** What a model folder holds. */
  public record Loaded(MlpSpec spec, LinkedHashMap<String, float[]> weights) {}

  static MlpSpec parseArchitecture(byte[] bytes, Object where) {
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ModelFileException(
          where + " is not valid JSON (" + e.getMessage().split("\n")[0] + "); re-save the model.");
    }
    if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
      throw new ModelFileException(
          where
              + " is not a sparkgrad architecture file: expected \"format\": \""
              + FORMAT
              + "\".");
    }
    int version = n.path("version").asInt(-1);
    if (version != VERSION) {
      throw new ModelFileException(
          "Unsupported sparkgrad model format version: "
              + n.path("version")
              + " in "
              + where
              + "; this build reads version "
              + VERSION
              + ". Load it with the sparkgrad release that saved it.");
    }
    JsonNode layers = n.path("layers");
    if (!layers.isArray() || layers.size() < 2 || layers.size() > 1000) {
      throw new ModelFileException(where + ": \"layers\" must be an array of 2 to 1000 sizes.");
    }
    int[] sizes = new int[layers.size()];
    for (int i = 0; i < sizes.length; i++) {
      JsonNode v = layers.get(i);
      if (!v.isInt() || v.asInt() <= 0 || v.asInt() > 1 << 20) {
        throw new ModelFileException(
            where + ": layers[" + i + "] is " + v + "; expected an integer in [1, 1048576].");
      }
      sizes[i] = v.asInt();
    }
    try {
      return new MlpSpec(sizes, n.path("activation").asText(), n.path("loss").asText());
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(where + ": " + e.getMessage());
    }
  }

  public static LinkedHashMap<String, float[]> checkWeights(
      MlpSpec spec, Map<String, Tensor> tensors, Object where) {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    Map<String, Tensor> expected = new LinkedHashMap<>();
    spec.build(new io.sparkgrad.engine.Generator(0)).namedParameters().forEach(expected::put);
    if (!expected.keySet().equals(tensors.keySet())) {
      throw new ModelFileException(
          where
              + " holds tensors "
              + tensors.keySet()
              + " but the architecture "
              + spec
              + " needs "
              + expected.keySet()
              + ".");
    }
    expected.forEach(
        (name, p) -> {
          Tensor t = tensors.get(name);
          if (!Arrays.equals(t.shape(), p.shape())) {
            throw new ModelFileException(
                where
                    + ": tensor "
                    + name
                    + " has shape "
                    + Arrays.toString(t.shape())
                    + "; the architecture needs "
                    + Arrays.toString(p.shape())
                    + ".");
          }
          out.put(name, t.data());
        });
    return out;
  }

  /** Reads a whole file after checking its length against {@code bound}. */
  public static byte[] readBounded(Path p, long bound, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new ModelFileException(p + " does not exist; is this a saved sparkgrad model folder?");
    }
    long len = fs.getFileStatus(p).getLen();
    if (len > bound) {
      throw new ModelFileException(
          p + " is " + len + " bytes; at most " + bound + " were expected for this model.");
    }
    byte[] bytes = new byte[(int) len];
    try (InputStream in = fs.open(p)) {
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read != len) {
        throw new ModelFileException(p + " ended after " + read + " of " + len + " bytes.");
      }
    } catch (ChecksumException e) {
      throw new ModelFileException(
          p
              + " does not match its checksum file; it was changed or damaged after it was written."
              + " Restore it, or save the model again.",
          e);
    }
    return bytes;
  }
}
