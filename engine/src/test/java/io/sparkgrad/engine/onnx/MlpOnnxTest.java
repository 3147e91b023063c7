package io.sparkgrad.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.train.MlpSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parses exported models back with ONNX's schema classes and checks their interface. */
class MlpOnnxTest {

  private static Map<String, Tensor> weights(MlpSpec spec) {
    return spec.build(new Generator(3)).stateDict();
  }

  private static OnnxMl.ModelProto export(MlpSpec spec, OnnxOutputs outputs)
      throws InvalidProtocolBufferException {
    return OnnxMl.ModelProto.parseFrom(MlpOnnx.toBytes(spec, weights(spec), outputs));
  }

  /** "batch" for a symbolic dimension, the size otherwise. */
  private static List<String> dims(OnnxMl.ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()))
        .toList();
  }

  private static void assertOutput(
      OnnxMl.ValueInfoProto v, String name, DataType type, String... dims) {
    assertEquals(name, v.getName());
    assertEquals(type.getNumber(), v.getType().getTensorType().getElemType(), name);
    assertEquals(List.of(dims), dims(v), name);
  }

  @Test
  void crossEntropyModelHasOpsetInputOutputsAndTheWeightsAsInitializers() throws Exception {
    MlpSpec spec = new MlpSpec(new int[] {5, 4, 3, 2}, "relu", "cross_entropy");
    Map<String, Tensor> w = weights(spec);
    OnnxMl.ModelProto m =
        OnnxMl.ModelProto.parseFrom(MlpOnnx.toBytes(spec, w, OnnxOutputs.SPARK_DEFAULTS));

    assertEquals(MlpOnnx.IR_VERSION, m.getIrVersion());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertTrue(m.getOpsetImport(0).getVersion() >= 17);
    OnnxMl.GraphProto g = m.getGraph();
    assertEquals(1, g.getInputCount());
    assertOutput(g.getInput(0), "features", DataType.FLOAT, "batch", "5");
    assertEquals(3, g.getOutputCount());
    assertOutput(g.getOutput(0), "rawPrediction", DataType.FLOAT, "batch", "2");
    assertOutput(g.getOutput(1), "probability", DataType.FLOAT, "batch", "2");
    assertOutput(g.getOutput(2), "prediction", DataType.INT64, "batch");

    List<OnnxMl.TensorProto> init = g.getInitializerList();
    List<String> names = List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
    assertEquals(names.size(), init.size());
    for (int i = 0; i < names.size(); i++) {
      OnnxMl.TensorProto t = init.get(i);
      Tensor expected = w.get(names.get(i));
      assertTrue(t.getName().startsWith(names.get(i)), t.getName());
      assertEquals(DataType.FLOAT.getNumber(), t.getDataType());
      assertArrayEquals(
          java.util.Arrays.stream(expected.shape()).asLongStream().toArray(),
          t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
          t.getName());
      float[] data = new float[expected.numel()];
      ByteBuffer.wrap(t.getRawData().toByteArray())
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(data);
      assertArrayEquals(expected.data(), data, t.getName());
    }
    List<String> ops = g.getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
    assertEquals(3, ops.stream().filter("Gemm"::equals).count());
    assertEquals(2, ops.stream().filter("Relu"::equals).count());
  }

  @Test
  void everyHiddenActivationBecomesItsOperator() throws Exception {
    Map<String, String> opFor = Map.of("relu", "Relu", "sigmoid", "Sigmoid", "tanh", "Tanh");
    for (String activation : MlpSpec.ACTIVATIONS) {
      MlpSpec spec = new MlpSpec(new int[] {3, 4, 1}, activation, "mse");
      List<String> ops =
          export(spec, OnnxOutputs.SPARK_DEFAULTS).getGraph().getNodeList().stream()
              .map(OnnxMl.NodeProto::getOpType)
              .toList();
      assertTrue(ops.contains(opFor.get(activation)), activation + ": " + ops);
    }
  }

  @Test
  void bceGivesTwoColumnScoresAndAnInt64Class() throws Exception {
    MlpSpec spec = new MlpSpec(new int[] {3, 2, 1}, "tanh", "bce");
    OnnxMl.GraphProto g = export(spec, new OnnxOutputs("scores", "p", "label", 0.3)).getGraph();
    assertEquals(3, g.getOutputCount());
    assertOutput(g.getOutput(0), "scores", DataType.FLOAT, "batch", "2");
    assertOutput(g.getOutput(1), "p", DataType.FLOAT, "batch", "2");
    assertOutput(g.getOutput(2), "label", DataType.INT64, "batch");
    float cut =
        g.getInitializerList().stream()
            .filter(t -> t.getName().startsWith("threshold"))
            .findFirst()
            .orElseThrow()
            .getFloatData(0);
    assertTrue(cut > 0.3 && Math.nextDown(cut) <= 0.3, "first float above 0.3: " + cut);
  }

  @Test
  void mseGivesOnePredictionPerRowOrAVector() throws Exception {
    OnnxMl.GraphProto one =
        export(new MlpSpec(new int[] {3, 2, 1}, "sigmoid", "mse"), OnnxOutputs.SPARK_DEFAULTS)
            .getGraph();
    assertEquals(1, one.getOutputCount());
    assertOutput(one.getOutput(0), "prediction", DataType.FLOAT, "batch");
    OnnxMl.GraphProto many =
        export(new MlpSpec(new int[] {3, 2, 4}, "sigmoid", "mse"), OnnxOutputs.SPARK_DEFAULTS)
            .getGraph();
    assertOutput(many.getOutput(0), "prediction", DataType.FLOAT, "batch", "4");
  }

  @Test
  void emptyNamesLeaveOutputsOut() throws Exception {
    MlpSpec spec = new MlpSpec(new int[] {3, 2, 3}, "relu", "cross_entropy");
    OnnxMl.GraphProto g = export(spec, new OnnxOutputs("", "probability", "", 0.5)).getGraph();
    assertEquals(List.of("probability"), g.getOutputList().stream().map(v -> v.getName()).toList());
  }

  @Test
  void refusesWrongWeightsNoOutputsAndClashingNames() {
    MlpSpec spec = new MlpSpec(new int[] {3, 2, 3}, "relu", "cross_entropy");
    Map<String, Tensor> w = new LinkedHashMap<>(weights(spec));
    w.put("2.weight", Tensor.zeros(2, 3));
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpOnnx.toBytes(spec, w, OnnxOutputs.SPARK_DEFAULTS));
    assertTrue(shape.getMessage().contains("'2.weight' is of shape [2, 3]"), shape.getMessage());
    assertTrue(shape.getMessage().contains("expects shape [3, 2]"), shape.getMessage());

    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpOnnx.toBytes(spec, weights(spec), new OnnxOutputs("", "", "", 0.5)));
    assertTrue(none.getMessage().startsWith("Nothing to export"), none.getMessage());

    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpOnnx.toBytes(spec, weights(spec), new OnnxOutputs("out", "out", "", 0.5)));
    assertTrue(twice.getMessage().contains("'out' is used twice"), twice.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> MlpOnnx.toBytes(spec, weights(spec), new OnnxOutputs("features", "", "", 0.5)));
  }

  @Test
  void saveRefusesAnExistingFileUnlessAskedToOverwrite(@TempDir Path dir) throws Exception {
    MlpSpec spec = new MlpSpec(new int[] {3, 2, 1}, "relu", "bce");
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "older");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpOnnx.save(spec, weights(spec), OnnxOutputs.SPARK_DEFAULTS, file, false));
    assertTrue(e.getMessage().contains(file + " already exists"), e.getMessage());
    assertEquals("older", Files.readString(file));

    MlpOnnx.save(spec, weights(spec), OnnxOutputs.SPARK_DEFAULTS, file, true);
    assertEquals(
        3, OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getOutputCount());
  }
}
