package io.sparkgrad.engine.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The standard ONNX operators an MLP needs that Tribuo's {@code ONNXOperators} (4.3) does not
 * declare. Semantics are those of the opset {@link MlpOnnx#OPSET} the exported model imports.
 */
enum OnnxOps implements ONNXOperator {
  RELU("Relu", 1, Map.of()),
  TANH("Tanh", 1, Map.of()),
  /** Index of the first maximum along {@code axis}; int64. */
  ARG_MAX(
      "ArgMax",
      1,
      Map.of(
          "axis", new ONNXAttribute("axis", AttributeType.INT, false),
          "keepdims", new ONNXAttribute("keepdims", AttributeType.INT, false))),
  /** The second input is the int64 target shape; -1 takes the remaining size. */
  RESHAPE("Reshape", 2, Map.of());

  private final String opName;
  private final int inputs;
  private final Map<String, ONNXAttribute> attributes;

  OnnxOps(String opName, int inputs, Map<String, ONNXAttribute> attributes) {
    this.opName = opName;
    this.inputs = inputs;
    this.attributes = attributes;
  }

  @Override
  public String getOpName() {
    return opName;
  }

  @Override
  public int getNumInputs() {
    return inputs;
  }

  @Override
  public int getNumOptionalInputs() {
    return 0;
  }

  @Override
  public int getNumOutputs() {
    return 1;
  }

  @Override
  public Map<String, ONNXAttribute> getAttributes() {
    return attributes;
  }

  @Override
  public Set<String> getMandatoryAttributeNames() {
    return Set.of();
  }

  @Override
  public int getOpVersion() {
    return MlpOnnx.OPSET;
  }

  @Override
  public String getOpDomain() {
    return null; // the default ai.onnx domain
  }
}
