package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.train.MlpSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLPModel.saveOnnx names the outputs after the model's column params and refuses to overwrite.
 * That the file scores as transform does is checked in ONNX Runtime (tests/test_onnx_export.py).
 */
class SaveOnnxTest {

  private static MLPModel model(MlpSpec spec) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : spec.build(new Generator(5)).stateDict().entrySet()) {
      weights.put(e.getKey(), e.getValue().data());
    }
    return new MLPModel("mlp_onnx", spec, weights);
  }

  private static List<String> outputs(Path file) throws Exception {
    return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getOutputList().stream()
        .map(OnnxMl.ValueInfoProto::getName)
        .toList();
  }

  @Test
  void outputsFollowTheColumnParams(@TempDir Path dir) throws Exception {
    MLPModel m = model(new MlpSpec(new int[] {4, 3, 2}, "tanh", "cross_entropy"));
    Path file = dir.resolve("default.onnx");
    m.saveOnnx(file.toString());
    assertEquals(List.of("rawPrediction", "probability", "prediction"), outputs(file));

    m.setRawPredictionCol("").setProbabilityCol("p").setPredictionCol("digit");
    Path renamed = dir.resolve("renamed.onnx");
    m.saveOnnx(renamed.toString());
    assertEquals(List.of("p", "digit"), outputs(renamed));
  }

  @Test
  void refusesAnExistingFileUnlessOverwriteIsTrue(@TempDir Path dir) throws Exception {
    MLPModel m = model(new MlpSpec(new int[] {4, 1}, "relu", "mse"));
    Path file = dir.resolve("m.onnx");
    Files.writeString(file, "keep me");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.saveOnnx(file.toString()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(e.getMessage().contains("saveOnnx(path, true)"), e.getMessage());
    assertEquals("keep me", Files.readString(file));

    m.saveOnnx(file.toString(), true);
    assertEquals(List.of("prediction"), outputs(file));

    IllegalArgumentException folder =
        assertThrows(IllegalArgumentException.class, () -> m.saveOnnx(dir.toString(), true));
    assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
  }

  @Test
  void anUnfittedModelSaysHowToGetWeights() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new MLPModel().saveOnnx("unused.onnx"));
    assertTrue(e.getMessage().contains("MLPEstimator.fit or MLPModel.load"), e.getMessage());
  }
}
