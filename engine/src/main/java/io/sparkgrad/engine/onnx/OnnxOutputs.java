package io.sparkgrad.engine.onnx;

/**
 * Names of an exported model's outputs, following Spark ML's column conventions so the ONNX model
 * gives what {@code MLPModel.transform} appends. An empty name leaves that output out.
 *
 * <ul>
 *   <li>cross_entropy: {@code rawPrediction} the logits [N, K]; {@code probability} their softmax
 *       [N, K]; {@code prediction} the index of the largest logit, int64 [N].
 *   <li>bce: {@code rawPrediction} [-z, z] [N, 2]; {@code probability} [1 - p, p] with p =
 *       sigmoid(z) [N, 2]; {@code prediction} 1 when p &gt; {@code threshold}, else 0, int64 [N].
 *   <li>mse: {@code prediction} only, float [N] for one output, [N, K] for several.
 * </ul>
 *
 * @param rawPrediction name of the raw scores output (classifiers)
 * @param probability name of the probabilities output (classifiers)
 * @param prediction name of the predicted class or value
 * @param threshold bce: the probability above which the prediction is 1, in [0, 1]
 */
public record OnnxOutputs(
    String rawPrediction, String probability, String prediction, double threshold) {

  /** Spark's default column names and bce threshold. */
  public static final OnnxOutputs SPARK_DEFAULTS =
      new OnnxOutputs("rawPrediction", "probability", "prediction", 0.5);

  public OnnxOutputs {
    if (rawPrediction == null || probability == null || prediction == null) {
      throw new IllegalArgumentException(
          "ONNX output names must not be null; use \"\" to leave an output out");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "threshold is " + threshold + "; it must be a probability in [0, 1]");
    }
  }
}
