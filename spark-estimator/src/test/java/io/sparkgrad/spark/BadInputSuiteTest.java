package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.MlpSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad data, params and files, one row each: the error's type and key message parts, and that
 * nothing was written (no model folder, no checkpoint folder; loaded files left as they were).
 */
class BadInputSuiteTest {
  @TempDir static Path tmp;
  static Path goodModel;

  @BeforeAll
  static void saveAGoodModel() throws Exception {
    goodModel = tmp.resolve("good");
    estimator(3).fit(frame(rows())).write().save(goodModel.toString());
  }

  static MLPEstimator estimator(int outputs) {
    return new MLPEstimator()
        .setLayers(new int[] {4, 3, outputs})
        .setLoss(outputs == 1 ? "bce" : "cross_entropy")
        .setWeightCol("weight")
        .setMaxEpochs(1);
  }

  static List<Row> rows() {
    return new ArrayList<>(SparkTestSession.rows(12, 4, 2, 1));
  }

  static Dataset<Row> frame(List<Row> rows) {
    return SparkTestSession.ordered(rows, 1);
  }

  static Dataset<Row> withRow7(Row bad) {
    List<Row> rows = rows();
    rows.set(7, bad);
    return frame(rows);
  }

  static Row row(Object features, Object label, Object weight) {
    return RowFactory.create(features, label, weight);
  }

  /** A fit expected to fail: its estimator tweak and its data. */
  static Arguments fit(
      String name, UnaryOperator<MLPEstimator> tweak, Dataset<Row> data, String... parts) {
    return Arguments.of(
        name,
        (Consumer<Path>)
            out -> {
              MLPEstimator e =
                  tweak.apply(estimator(3)).setCheckpointDir(out.resolve("ckpt").toString());
              try {
                e.fit(data).write().save(out.resolve("model").toString());
              } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
              }
            },
        parts);
  }

  static Stream<Arguments> cases() {
    Dataset<Row> good = frame(rows());
    return Stream.of(
        fit(
            "NaN feature",
            e -> e,
            withRow7(row(Vectors.dense(1, Double.NaN, 0, 0), 1.0, 1.0)),
            "'features' at partition 0, row 7",
            "NaN at vector index 1",
            "To fix"),
        fit(
            "infinite feature",
            e -> e,
            withRow7(row(Vectors.dense(1, 0, Double.NEGATIVE_INFINITY, 0), 1.0, 1.0)),
            "-Infinity at vector index 2"),
        fit(
            "null vector",
            e -> e,
            withRow7(row(null, 1.0, 1.0)),
            "'features' at partition 0, row 7 has null"),
        fit(
            "short vector",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3), 1.0, 1.0)),
            "a vector of length 3",
            "layers[0]"),
        fit(
            "sparse vector too long",
            e -> e,
            withRow7(row(Vectors.sparse(9, new int[] {8}, new double[] {1}), 1.0, 1.0)),
            "a vector of length 9"),
        fit(
            "class out of range",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), 3.0, 1.0)),
            "'label' at partition 0, row 7 has 3.0",
            "[0, 3)"),
        fit(
            "fractional class",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), 1.5, 1.0)),
            "has 1.5",
            "StringIndexer"),
        fit(
            "negative class",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), -1.0, 1.0)),
            "has -1.0"),
        fit(
            "bce label 2",
            e -> e.setLayers(new int[] {4, 3, 1}).setLoss("bce"),
            withRow7(row(Vectors.dense(1, 2, 3, 4), 2.0, 1.0)),
            "0 or 1 for bce"),
        fit(
            "null label",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), null, 1.0)),
            "'label' at partition 0, row 7 has null"),
        fit(
            "negative weight",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), 1.0, -2.0)),
            "'weight' at partition 0, row 7 has -2.0",
            ">= 0"),
        fit(
            "null weight",
            e -> e,
            withRow7(row(Vectors.dense(1, 2, 3, 4), 1.0, null)),
            "'weight' at partition 0, row 7 has null"),
        fit("empty frame", e -> e, frame(new ArrayList<>()), "no training rows"),
        fit(
            "all rows held out",
            e -> e.setValidationIndicatorCol("v"),
            good.withColumn("v", functions.lit(true)),
            "all rows are marked for validation"),
        fit(
            "missing features column",
            e -> e.setFeaturesCol("pixels"),
            good,
            "names column 'pixels'",
            "its columns are"),
        fit(
            "features not a vector",
            e -> e.setFeaturesCol("label"),
            good,
            "expected a Vector",
            "VectorAssembler"),
        fit(
            "string label",
            e -> e,
            good.withColumn("label", functions.lit("cat")),
            "Column label must be of type numeric but was actually of type string.",
            "StringIndexer"),
        fit(
            "output column exists",
            e -> e.setPredictionCol("weight"),
            good,
            "'weight' already exists"),
        fit(
            "layers unset",
            e -> {
              e.clear(e.layers);
              return e;
            },
            good,
            "layers is not set"),
        fit(
            "one output for cross_entropy",
            e -> e.setLayers(new int[] {4, 3, 1}),
            good,
            "number of classes"),
        fit(
            "nesterov without momentum",
            e -> e.setNesterov(true),
            good,
            "nesterov needs momentum > 0"),
        fit(
            "early stopping without validation",
            e -> e.setEarlyStoppingPatience(2),
            good,
            "needs validationIndicatorCol"),
        fit(
            "validation column not boolean",
            e -> e.setValidationIndicatorCol("weight"),
            good,
            "expected boolean"),
        fit(
            "missing initial weights",
            e -> e.setInitialWeightsPath(tmp.resolve("none.safetensors").toString()),
            good,
            "does not exist"),
        fit(
            "corrupt initial weights",
            e ->
                e.setInitialWeightsPath(
                    write(
                        "junk.safetensors",
                        "not a safetensors file at all".getBytes(StandardCharsets.UTF_8))),
            good,
            "junk.safetensors"),
        fit(
            "initial weights of another net",
            e -> e.setInitialWeightsPath(otherNet()),
            good,
            "has shape",
            "the architecture needs"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsClearlyAndWritesNothing(String name, Consumer<Path> action, String[] parts)
      throws Exception {
    Path out = Files.createTempDirectory(tmp, "out");
    RuntimeException ex = assertThrows(RuntimeException.class, () -> action.accept(out));
    assertTrue(
        ex instanceof InvalidInputException || ex instanceof ModelFileException,
        name + " threw " + ex);
    for (String part : parts) {
      assertTrue(
          ex.getMessage().contains(part), name + ": '" + part + "' not in: " + ex.getMessage());
    }
    assertFalse(Files.exists(out.resolve("model")), "a model was written");
    assertFalse(Files.exists(out.resolve("ckpt")), "a checkpoint was written");
  }

  static Stream<Arguments> damagedModels() {
    return Stream.of(
        Arguments.of(
            "data/architecture.json",
            (UnaryOperator<byte[]>)
                b ->
                    new String(b, StandardCharsets.UTF_8)
                        .replace("\"version\":1", "\"version\":99")
                        .getBytes(StandardCharsets.UTF_8),
            "Unsupported sparkgrad model format version: 99"),
        Arguments.of(
            "data/architecture.json",
            (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length / 2),
            "not valid JSON"),
        Arguments.of(
            "data/weights.safetensors",
            (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length - 5),
            "weights.safetensors"),
        Arguments.of(
            "data/weights.safetensors",
            (UnaryOperator<byte[]>)
                b -> {
                  byte[] c = b.clone();
                  c[0] = (byte) 0xff;
                  c[7] = 0x7f;
                  return c;
                },
            "weights.safetensors"));
  }

  @ParameterizedTest(name = "{0} damaged: {2}")
  @MethodSource("damagedModels")
  void damagedModelFilesFailToLoadAndStayAsTheyWere(
      String file, UnaryOperator<byte[]> damage, String part) throws Exception {
    Path copy = Files.createTempDirectory(tmp, "model");
    copyTree(goodModel, copy);
    Path target = copy.resolve(file);
    byte[] damaged = damage.apply(Files.readAllBytes(target));
    Files.write(target, damaged);
    // As a file from elsewhere would be: without Hadoop's checksum, our own checks must hold.
    Files.delete(target.resolveSibling("." + target.getFileName() + ".crc"));
    var ex = assertThrows(ModelFileException.class, () -> MLPModel.load(copy.toString()));
    assertTrue(ex.getMessage().contains(part), ex.getMessage());
    assertArrayEquals(damaged, Files.readAllBytes(target));
  }

  @org.junit.jupiter.api.Test
  void aChangedFileFailsItsChecksum() throws Exception {
    Path copy = Files.createTempDirectory(tmp, "model");
    copyTree(goodModel, copy);
    Path target = copy.resolve("data/weights.safetensors");
    byte[] bytes = Files.readAllBytes(target);
    bytes[bytes.length - 1] ^= 1;
    Files.write(target, bytes);
    var ex = assertThrows(ModelFileException.class, () -> MLPModel.load(copy.toString()));
    assertTrue(ex.getMessage().contains("does not match its checksum"), ex.getMessage());
  }

  private static String write(String name, byte[] bytes) {
    try {
      Path p = tmp.resolve(name);
      Files.write(p, bytes);
      return p.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String otherNet() {
    var state =
        new MlpSpec(new int[] {4, 5, 3}, "relu", "cross_entropy")
            .build(new Generator(1))
            .stateDict();
    Path p = tmp.resolve("other.safetensors");
    SafeTensors.save(state, p);
    return p.toString();
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }
}
