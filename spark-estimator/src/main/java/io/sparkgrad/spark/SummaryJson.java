package io.sparkgrad.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkgrad.engine.train.EpochStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrainingSummary} as JSON: field names are the record's, {@code epochs} a list of {@link
 * EpochStats} objects. NaN (no validation set) is written as the bare token {@code NaN}, which
 * Python's json module reads; doubles keep every bit ({@link Double#toString}).
 */
final class SummaryJson {
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private SummaryJson() {}

  /** Writes {@code s} as JSON to the local file {@code path}, making its folder if needed. */
  static void writeFile(TrainingSummary s, String path) {
    try {
      Path file = Paths.get(path);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, write(s));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the training summary to " + path, e);
    }
  }

  /** Reads the summary {@link #writeFile} wrote for {@code owner} (named in errors). */
  static TrainingSummary readFile(String path, String owner) {
    try {
      return read(Files.readString(Paths.get(path)), path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read the training summary of " + owner + " from " + path, e);
    }
  }

  static String write(TrainingSummary s) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode epochs = root.putArray("epochs");
    for (EpochStats e : s.epochs()) {
      epochs
          .addObject()
          .put("epoch", e.epoch())
          .put("trainLoss", e.trainLoss())
          .put("validationLoss", e.validationLoss())
          .put("validationMetric", e.validationMetric())
          .put("rows", e.rows())
          .put("learningRate", e.learningRate())
          .put("seconds", e.seconds())
          .put("validationSeconds", e.validationSeconds());
    }
    root.put("epochsRun", s.epochsRun())
        .put("validationMetricName", s.validationMetricName())
        .put("numWorkers", s.numWorkers())
        .put("syncInterval", s.syncInterval())
        .put("learningRate", s.learningRate())
        .put("stoppedEarly", s.stoppedEarly())
        .put("bestEpoch", s.bestEpoch())
        .put("skippedRows", s.skippedRows())
        .put("cachedBytes", s.cachedBytes())
        .put("float32Bytes", s.float32Bytes())
        .put("warning", s.warning())
        .put("uid", s.uid());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the training summary as JSON", e);
    }
  }

  /** Reads what {@link #write} wrote; {@code where} names the source in error messages. */
  static TrainingSummary read(String json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "The training summary at " + where + " is not JSON: " + e.getOriginalMessage(), e);
    }
    List<EpochStats> epochs = new ArrayList<>();
    for (JsonNode e : required(root, "epochs", where)) {
      epochs.add(
          new EpochStats(
              required(e, "epoch", where).asInt(),
              required(e, "trainLoss", where).asDouble(),
              required(e, "validationLoss", where).asDouble(),
              required(e, "validationMetric", where).asDouble(),
              required(e, "rows", where).asLong(),
              required(e, "learningRate", where).asDouble(),
              required(e, "seconds", where).asDouble(),
              required(e, "validationSeconds", where).asDouble()));
    }
    JsonNode warning = required(root, "warning", where);
    return new TrainingSummary(
        epochs,
        required(root, "epochsRun", where).asInt(),
        required(root, "validationMetricName", where).asText(),
        required(root, "numWorkers", where).asInt(),
        required(root, "syncInterval", where).asInt(),
        required(root, "learningRate", where).asDouble(),
        required(root, "stoppedEarly", where).asBoolean(),
        required(root, "bestEpoch", where).asInt(),
        required(root, "skippedRows", where).asLong(),
        required(root, "cachedBytes", where).asLong(),
        required(root, "float32Bytes", where).asLong(),
        warning.isNull() ? null : warning.asText(),
        required(root, "uid", where).asText());
  }

  private static JsonNode required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException(
          "The training summary at "
              + where
              + " has no '"
              + field
              + "'; it must be a file MLPModel.saveSummary wrote.");
    }
    return value;
  }
}
