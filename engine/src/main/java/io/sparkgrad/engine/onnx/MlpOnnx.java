package io.sparkgrad.engine.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.train.MlpSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports an MLP as a standard ONNX model (opset {@value #OPSET}), built with ONNX's protobuf
 * schema classes: input {@value #INPUT}, float32 [batch, inputSize] with a symbolic batch
 * dimension; one Gemm per Linear layer (weights kept (out, in) as trained, transB = 1), the hidden
 * activation after each but the last; then the outputs {@link OnnxOutputs} describes for the loss.
 * ONNX Runtime, or any ONNX runtime, then scores rows as {@code MLPModel.transform} does.
 */
public final class MlpOnnx {
  public static final int OPSET = 17;
  public static final String INPUT = "features";

  /**
   * IR version 8, the one ONNX 1.12 (which brought opset 17) writes; any newer runtime reads it.
   */
  static final long IR_VERSION = 8;

  private static final String BATCH = "batch";

  private MlpOnnx() {}

  /** The serialized ONNX model of the network {@code spec} with the state dict {@code weights}. */
  public static byte[] toBytes(MlpSpec spec, Map<String, Tensor> weights, OnnxOutputs outputs) {
    return model(spec, weights, outputs).toByteArray();
  }

  /**
   * Writes {@link #toBytes} to {@code file}. Without {@code overwrite} an existing file is refused
   * (nothing is written); with it, the file is replaced.
   */
  public static void save(
      MlpSpec spec,
      Map<String, Tensor> weights,
      OnnxOutputs outputs,
      Path file,
      boolean overwrite) {
    byte[] bytes = toBytes(spec, weights, outputs);
    try {
      if (overwrite) {
        Files.write(file, bytes);
      } else {
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(refusal(file.toString(), "save(..., true)"), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the ONNX model to " + file, e);
    }
  }

  /** The message for an existing file that the caller did not ask to overwrite. */
  public static String refusal(String path, String overwriteCall) {
    return "Cannot save the ONNX model: "
        + path
        + " already exists and overwrite is off. To replace it call "
        + overwriteCall
        + ", or choose another path.";
  }

  static OnnxMl.ModelProto model(MlpSpec spec, Map<String, Tensor> weights, OnnxOutputs outputs) {
    ONNXContext ctx = new ONNXContext();
    ctx.setName("sparkgrad_mlp");
    ONNXRef<?> logits = network(ctx, spec, weights);
    List<Output> outs = heads(ctx, spec, logits, outputs);
    OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
    checkNames(graph, outs, spec);
    for (Output o : outs) {
      // ONNXContext suffixes every value name; an Identity gives each output its exact name.
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Identity")
              .setName("output_" + o.name)
              .addInput(o.value.getReference())
              .addOutput(o.name));
      graph.addOutput(valueInfo(o.name, o.type, o.width));
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("sparkgrad")
        .setDomain("io.sparkgrad")
        .setModelVersion(1)
        .setDocString("sparkgrad " + spec)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .addMetadataProps(meta("layers", Arrays.toString(spec.layers())))
        .addMetadataProps(meta("activation", spec.activation()))
        .addMetadataProps(meta("loss", spec.loss().paramName()))
        .setGraph(graph)
        .build();
  }

  /** Linear layers as Gemm, the activation between them; returns the last layer's output. */
  private static ONNXRef<?> network(ONNXContext ctx, MlpSpec spec, Map<String, Tensor> weights) {
    ONNXRef<?> h = ctx.floatInput(INPUT, spec.inputSize());
    int[] layers = spec.layers();
    for (int i = 0; i + 1 < layers.length; i++) {
      // Sequential's indices: Linear, activation, Linear, ... as MlpSpec.build names them.
      String prefix = (2 * i) + ".";
      int in = layers[i];
      int out = layers[i + 1];
      float[] w = parameter(weights, prefix + "weight", spec, out, in);
      float[] b = parameter(weights, prefix + "bias", spec, out);
      ONNXRef<?> wRef = ctx.floatTensor(prefix + "weight", List.of(out, in), fb -> fb.put(w));
      ONNXRef<?> bRef = ctx.floatTensor(prefix + "bias", List.of(out), fb -> fb.put(b));
      h = op(ctx, ONNXOperators.GEMM, List.of(h, wRef, bRef), "linear" + i, Map.of("transB", 1));
      if (i + 2 < layers.length) {
        h = op(ctx, activation(spec.activation()), List.of(h), spec.activation() + i, Map.of());
      }
    }
    return h;
  }

  private static ONNXOperator activation(String name) {
    return switch (name) {
      case "relu" -> OnnxOps.RELU;
      case "sigmoid" -> ONNXOperators.SIGMOID;
      case "tanh" -> OnnxOps.TANH;
      default ->
          throw new IllegalArgumentException(
              "activation '"
                  + name
                  + "' has no ONNX export; MlpOnnx.activation must map every entry of "
                  + MlpSpec.ACTIVATIONS);
    };
  }

  /** The outputs Spark's columns hold for the loss, from the last layer's raw output. */
  private static List<Output> heads(
      ONNXContext ctx, MlpSpec spec, ONNXRef<?> z, OnnxOutputs names) {
    int k = spec.outputSize();
    List<Output> outs = new ArrayList<>();
    switch (spec.loss()) {
      case CROSS_ENTROPY -> {
        add(outs, names.rawPrediction(), z, DataType.FLOAT, k);
        if (!names.probability().isEmpty()) {
          ONNXRef<?> p = op(ctx, ONNXOperators.SOFTMAX, List.of(z), "softmax", Map.of("axis", 1));
          add(outs, names.probability(), p, DataType.FLOAT, k);
        }
        if (!names.prediction().isEmpty()) {
          // ArgMax takes the first of equal maxima, as OutputColumns does.
          Map<String, Object> attrs = Map.of("axis", 1, "keepdims", 0);
          add(outs, names.prediction(), op(ctx, OnnxOps.ARG_MAX, List.of(z), "argmax", attrs));
        }
      }
      case BCE -> {
        if (!names.rawPrediction().isEmpty()) {
          ONNXRef<?> neg = op(ctx, ONNXOperators.NEG, List.of(z), "neg_logit", Map.of());
          add(outs, names.rawPrediction(), concat(ctx, neg, z, "raw"), DataType.FLOAT, 2);
        }
        ONNXRef<?> p =
            names.probability().isEmpty() && names.prediction().isEmpty()
                ? null
                : op(ctx, ONNXOperators.SIGMOID, List.of(z), "p1", Map.of());
        if (!names.probability().isEmpty()) {
          ONNXRef<?> one = ctx.constant("one", 1f);
          ONNXRef<?> q = op(ctx, ONNXOperators.SUB, List.of(one, p), "p0", Map.of());
          add(outs, names.probability(), concat(ctx, q, p, "probability"), DataType.FLOAT, 2);
        }
        if (!names.prediction().isEmpty()) {
          ONNXRef<?> cut = ctx.constant("threshold", firstFloatAbove(names.threshold()));
          ONNXRef<?> hit =
              op(ctx, ONNXOperators.GREATER_OR_EQUAL, List.of(p, cut), "hit", Map.of());
          Map<String, Object> toLong = Map.of("to", DataType.INT64.getNumber());
          ONNXRef<?> label = op(ctx, ONNXOperators.CAST, List.of(hit), "label", toLong);
          add(outs, names.prediction(), flatten(ctx, label));
        }
      }
      case MSE -> {
        if (!names.prediction().isEmpty()) {
          if (k == 1) {
            outs.add(new Output(names.prediction(), flatten(ctx, z), DataType.FLOAT, 0));
          } else {
            add(outs, names.prediction(), z, DataType.FLOAT, k);
          }
        }
      }
    }
    if (outs.isEmpty()) {
      throw new IllegalArgumentException(
          "Nothing to export: every output of loss "
              + spec.loss().paramName()
              + " has an empty name. Name the prediction"
              + (spec.loss().isClassifier() ? ", probability or rawPrediction" : "")
              + " output (in Spark: the predictionCol"
              + (spec.loss().isClassifier() ? ", probabilityCol or rawPredictionCol" : "")
              + " param).");
    }
    return outs;
  }

  /**
   * Spark predicts 1 when the float probability p, widened to double, exceeds the double threshold
   * t. For a float p that is exactly p &gt;= the smallest float above t, so no tie rounds apart.
   */
  static float firstFloatAbove(double t) {
    float f = (float) t;
    return f > t ? f : Math.nextUp(f);
  }

  private static ONNXRef<?> concat(ONNXContext ctx, ONNXRef<?> a, ONNXRef<?> b, String name) {
    return op(ctx, ONNXOperators.CONCAT, List.of(a, b), name, Map.of("axis", 1));
  }

  /** [N, 1] to [N]: Spark's prediction is one Double per row. */
  private static ONNXRef<?> flatten(ONNXContext ctx, ONNXRef<?> column) {
    ONNXRef<?> shape = ctx.array("flat_shape", new long[] {-1});
    return op(ctx, OnnxOps.RESHAPE, List.of(column, shape), "flat", Map.of());
  }

  private static ONNXRef<?> op(
      ONNXContext ctx,
      ONNXOperator op,
      List<ONNXRef<?>> inputs,
      String name,
      Map<String, Object> attributes) {
    return ctx.operation(op, inputs, name, attributes);
  }

  private static float[] parameter(
      Map<String, Tensor> weights, String name, MlpSpec spec, int... shape) {
    Tensor t = weights.get(name);
    if (t == null || !Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(
          "Cannot export to ONNX: weight '"
              + name
              + "' is "
              + (t == null ? "missing" : "of shape " + Arrays.toString(t.shape()))
              + "; the architecture "
              + spec
              + " expects shape "
              + Arrays.toString(shape)
              + ". Pass the state dict of a network built from this spec (spec.build(...)"
              + ".stateDict()).");
    }
    return t.data();
  }

  /** Output names must be distinct and must not reuse the input's or an inner value's name. */
  private static void checkNames(OnnxMl.GraphProto.Builder graph, List<Output> outs, MlpSpec spec) {
    Set<String> taken = new HashSet<>();
    taken.add(INPUT);
    graph.getInitializerList().forEach(t -> taken.add(t.getName()));
    graph.getNodeList().forEach(n -> taken.addAll(n.getOutputList()));
    Set<String> seen = new HashSet<>();
    for (Output o : outs) {
      if (!seen.add(o.name) || taken.contains(o.name)) {
        throw new IllegalArgumentException(
            "Cannot export to ONNX: output name '"
                + o.name
                + "' is used twice or clashes with the input '"
                + INPUT
                + "' or a value inside the "
                + spec.loss().paramName()
                + " graph. Give rawPrediction, probability and prediction distinct names.");
      }
    }
  }

  private static void add(List<Output> outs, String name, ONNXRef<?> value, DataType t, int k) {
    if (!name.isEmpty()) {
      outs.add(new Output(name, value, t, k));
    }
  }

  /** A per-row int64 class index. */
  private static void add(List<Output> outs, String name, ONNXRef<?> value) {
    outs.add(new Output(name, value, DataType.INT64, 0));
  }

  /** [batch] when width is 0, else [batch, width]. */
  private static OnnxMl.ValueInfoProto valueInfo(String name, DataType type, int width) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    if (width > 0) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    }
    OnnxMl.TypeProto.Tensor tensor =
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  private static OnnxMl.StringStringEntryProto meta(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  /** One graph output: its name, the value it copies, element type and per-row width. */
  private record Output(String name, ONNXRef<?> value, DataType type, int width) {}
}
