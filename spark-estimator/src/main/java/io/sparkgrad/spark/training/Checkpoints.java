package io.sparkgrad.spark.training;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a fit in {@code checkpointDir}: after every {@code interval} epochs, the weights,
 * the optimizer state and the epochs so far go to {@code epoch-NNNNNN/} (state.safetensors and
 * checkpoint.json). A checkpoint counts only once its commit marker {@code _COMMITTED}, written
 * last, names its epoch and the sha256 of both files, and the files still match it: renames are not
 * atomic on object stores (S3, GCS), so a folder with the final name may be incomplete. The files
 * are still written under a temporary name and renamed, which keeps half-written folders out of
 * sight on file systems where rename is atomic. Random choices depend only on (seed, partition,
 * epoch), so a fit resumed from epoch e continues exactly as an uninterrupted one would.
 */
public final class Checkpoints implements Checkpointer {
  static final String FORMAT = "sparkgrad-checkpoint";
  static final int VERSION = 1;
  static final String STATE = "state.safetensors";
  static final String META = "checkpoint.json";
  static final String MARKER = "_COMMITTED";
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
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
      byte[] stateBytes = SafeTensors.toBytes(tensors, Map.of());
      write(fs, new Path(tmp, STATE), stateBytes);
      ObjectNode meta = JSON.createObjectNode();
      meta.put("format", FORMAT);
      meta.put("version", VERSION);
      meta.put("epochsDone", epochsDone);
      meta.put("fingerprint", fingerprint);
      ArrayNode list = meta.putArray("epochs");
      for (EpochStats e : epochs) {
        list.add(JSON.valueToTree(e));
      }
      byte[] metaBytes = JSON.writeValueAsBytes(meta);
      write(fs, new Path(tmp, META), metaBytes);
      Path target = new Path(dir, name(epochsDone));
      // The old marker goes first, so a delete cut short never leaves a marker over other files.
      fs.delete(new Path(target, MARKER), false);
      fs.delete(target, true);
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      ObjectNode marker = JSON.createObjectNode();
      marker.put("epochsDone", epochsDone);
      ObjectNode sha = marker.putObject("sha256");
      sha.put(STATE, sha256(stateBytes));
      sha.put(META, sha256(metaBytes));
      // Written aside and renamed, so a process killed mid-write leaves no partial marker where
      // rename is atomic (local, HDFS); an object store's PUT and copy are atomic per object.
      Path markerTmp = new Path(target, MARKER + ".tmp");
      write(fs, markerTmp, JSON.writeValueAsBytes(marker));
      if (!fs.rename(markerTmp, new Path(target, MARKER))) {
        throw new IOException("could not rename " + markerTmp + " to " + MARKER);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write a checkpoint to " + dir, e);
    }
  }

  /**
   * The newest committed checkpoint of this fit, or null when there is none. A newer checkpoint
   * without its marker, or whose files do not match it, is skipped with a warning.
   */
  @Override
  public Restored latest() {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return null;
      }
      FileStatus[] found = fs.listStatus(dir, p -> p.getName().startsWith("epoch-"));
      Arrays.sort(found, (a, b) -> b.getPath().getName().compareTo(a.getPath().getName()));
      for (FileStatus f : found) {
        Path folder = f.getPath();
        Map<String, byte[]> files = committedFiles(fs, folder);
        if (files != null) {
          return read(folder, files.get(META), files.get(STATE));
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list checkpoints in " + dir, e);
    }
  }

  /**
   * The files of {@code folder} when its marker exists and they match it; null (after a warning)
   * when the checkpoint is incomplete or damaged.
   */
  private Map<String, byte[]> committedFiles(FileSystem fs, Path folder) throws IOException {
    Path markerPath = new Path(folder, MARKER);
    if (!fs.exists(markerPath)) {
      LOG.warn("Skipping checkpoint {}: it has no {} marker, so it is incomplete", folder, MARKER);
      return null;
    }
    try {
      JsonNode marker = JSON.readTree(ModelFiles.readBounded(markerPath, 1L << 16, conf));
      String expectedName = name(marker.path("epochsDone").asInt(-1));
      if (!expectedName.equals(folder.getName())) {
        LOG.warn("Skipping checkpoint {}: its marker is for {}", folder, expectedName);
        return null;
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (String file : List.of(META, STATE)) {
        byte[] bytes =
            ModelFiles.readBounded(
                new Path(folder, file), file.equals(META) ? 16L << 20 : 1L << 31, conf);
        String expected = marker.path("sha256").path(file).asText("");
        if (!expected.equals(sha256(bytes))) {
          LOG.warn(
              "Skipping checkpoint {}: {} does not match the sha256 in its marker (damaged)",
              folder,
              file);
          return null;
        }
        files.put(file, bytes);
      }
      return files;
    } catch (JsonProcessingException e) {
      LOG.warn("Skipping checkpoint {}: its {} marker is not valid JSON", folder, MARKER);
      return null;
    } catch (ModelFileException e) {
      LOG.warn("Skipping checkpoint {}: {}", folder, e.getMessage());
      return null;
    }
  }

  private Restored read(Path folder, byte[] metaBytes, byte[] stateBytes) throws IOException {
    Path metaPath = new Path(folder, META);
    JsonNode meta;
    try {
      meta = JSON.readTree(metaBytes);
    } catch (JsonProcessingException e) {
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
    Path statePath = new Path(folder, STATE);
    Map<String, Tensor> tensors = SafeTensors.fromBytes(stateBytes, statePath.toString()).tensors();
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

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void write(FileSystem fs, Path p, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write(bytes);
    }
  }
}
