package io.sparkgrad.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;

/** The params the estimator and the model share, defined once with their docs and ranges. */
final class OutputParams {
  private OutputParams() {}

  static Param<String> featuresCol(Identifiable owner) {
    return new Param<>(owner, "featuresCol", "features column name (Vector)");
  }

  static Param<String> predictionCol(Identifiable owner) {
    return new Param<>(owner, "predictionCol", "prediction column name; empty to omit");
  }

  static Param<String> probabilityCol(Identifiable owner) {
    return new Param<>(
        owner, "probabilityCol", "class probabilities column (bce, cross_entropy); empty to omit");
  }

  static Param<String> rawPredictionCol(Identifiable owner) {
    return new Param<>(
        owner,
        "rawPredictionCol",
        "raw prediction (logits) column (bce, cross_entropy); empty to omit");
  }

  static DoubleParam threshold(Identifiable owner) {
    return new DoubleParam(
        owner,
        "threshold",
        "bce: predict 1 when the probability exceeds it (in [0, 1])",
        ParamValidators.inRange(0, 1));
  }
}
