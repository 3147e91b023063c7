package io.sparkgrad.spark.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.Checkpointer;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.TrainState;
import io.sparkgrad.spark.persistence.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a fit in {@code checkpointDir}: after every {@code interval} epochs, the weights,
 * the optimizer state and the epochs so far go to {@code epoch-NNNNNN/}, written under a temporary
 * name and renamed, so a folder with the final name is always complete. Random choices depend only
 * on (seed, partition, epoch), so a fit resumed from epoch e continues exactly as an uninterrupted
 * one would.
 */
public final class Checkpoints implements Checkpointer {
  static final String FORMAT = "sparkgrad-checkpoint";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int interval;
  private final String fingerprint;
  private final Configuration conf;

  public Checkpoints(String dir, int interval, String fingerprint, Configuration conf) {
    this.dir = new Path(dir);
    this.interval = interval;
    this.fingerprint = fingerprint;
    this.conf = conf;
  }

  @Override
  public boolean due(int epochsDone, int maxEpochs) {
    return epochsDone % interval == 0 || epochsDone == maxEpochs;
  }

  @Override
  public void save(int epochsDone, TrainState state, List<EpochStats> epochs) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      Path tmp = new Path(dir, ".tmp-" + name(epochsDone) + "-" + UUID.randomUUID());
      fs.mkdirs(tmp);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      state.weights().forEach((k, v) -> tensors.put("model." + k, Tensor.of(v, v.length)));
      state.opt().forEach((k, v) -> tensors.put("optimizer." + k, Tensor.of(v, v.length)));
      write(fs, new Path(tmp, "state.safetensors"), SafeTensors.toBytes(tensors, Map.of()));
      ObjectNode meta = JSON.createObjectNode();
      meta.put("format", FORMAT);
      meta.put("version", VERSION);
      meta.put("epochsDone", epochsDone);
      meta.put("fingerprint", fingerprint);
      ArrayNode list = meta.putArray("epochs");
      for (EpochStats e : epochs) {
        list.add(JSON.valueToTree(e));
      }
      write(fs, new Path(tmp, "checkpoint.json"), JSON.writeValueAsBytes(meta));
      Path target = new Path(dir, name(epochsDone));
      fs.delete(target, true);
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write a checkpoint to " + dir, e);
    }
  }

  /** The newest complete checkpoint of this fit, or null when there is none. */
  @Override
  public Restored latest() {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return null;
      }
      FileStatus[] found = fs.listStatus(dir, p -> p.getName().startsWith("epoch-"));
      Arrays.sort(found, (a, b) -> b.getPath().getName().compareTo(a.getPath().getName()));
      return found.length == 0 ? null : read(found[0].getPath());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list checkpoints in " + dir, e);
    }
  }

  private Restored read(Path folder) throws IOException {
    Path metaPath = new Path(folder, "checkpoint.json");
    JsonNode meta;
    try {
      meta = JSON.readTree(ModelFiles.readBounded(metaPath, 16L << 20, conf));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFileException(metaPath + " is not valid JSON; delete that checkpoint folder.");
    }
    if (!FORMAT.equals(meta.path("format").asText()) || meta.path("version").asInt() != VERSION) {
      throw new ModelFileException(
          metaPath + " is not a version " + VERSION + " sparkgrad checkpoint; use another folder.");
    }
    if (!fingerprint.equals(meta.path("fingerprint").asText())) {
      throw new ModelFileException(
          "checkpointDir "
              + dir
              + " holds a checkpoint of a different fit (its params, data partitioning or"
              + " architecture differ); use an empty checkpointDir, or the same params to resume.");
    }
    Path statePath = new Path(folder, "state.safetensors");
    Map<String, Tensor> tensors =
        SafeTensors.fromBytes(
                ModelFiles.readBounded(statePath, 1L << 31, conf), statePath.toString())
            .tensors();
    LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
    LinkedHashMap<String, float[]> opt = new LinkedHashMap<>();
    tensors.forEach(
        (k, t) -> {
          if (k.startsWith("model.")) {
            weights.put(k.substring(6), t.data());
          } else if (k.startsWith("optimizer.")) {
            opt.put(k.substring(10), t.data());
          }
        });
    List<EpochStats> epochs = new ArrayList<>();
    for (JsonNode e : meta.path("epochs")) {
      epochs.add(JSON.treeToValue(e, EpochStats.class));
    }
    return new Restored(meta.path("epochsDone").asInt(), new TrainState(weights, opt), epochs);
  }

  private static String name(int epochsDone) {
    return String.format("epoch-%06d", epochsDone);
  }

  private static void write(FileSystem fs, Path p, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(bytes);
    }
  }
}
