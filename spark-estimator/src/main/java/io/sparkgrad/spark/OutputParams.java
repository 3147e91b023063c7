package io.sparkgrad.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params the estimator and the model share, declared once with their docs, ranges and defaults:
 * the features column and what to write. Each stage makes one in its constructor and exposes them
 * through {@link HasOutputParams} (Java interfaces cannot hold the fields themselves).
 */
public final class OutputParams implements Serializable {
  private static final long serialVersionUID = 1L;

  public final Param<String> featuresCol;
  public final Param<String> predictionCol;
  public final Param<String> probabilityCol;
  public final Param<String> rawPredictionCol;
  public final DoubleParam threshold;

  OutputParams(Params owner) {
    featuresCol =
        new Param<>(
            owner,
            "featuresCol",
            "features column name (Vector, array<float> or array<double>); unused when"
                + " featuresCols lists columns");
    predictionCol = new Param<>(owner, "predictionCol", "prediction column name; empty to omit");
    probabilityCol =
        new Param<>(
            owner,
            "probabilityCol",
            "class probabilities column (bce, cross_entropy); empty to omit");
    rawPredictionCol =
        new Param<>(
            owner,
            "rawPredictionCol",
            "raw prediction (logits) column (bce, cross_entropy); empty to omit");
    threshold =
        new DoubleParam(
            owner,
            "threshold",
            "bce: predict 1 when the probability exceeds it (in [0, 1])",
            ParamValidators.inRange(0, 1));
    owner.setDefault(featuresCol, "features");
    owner.setDefault(predictionCol, "prediction");
    owner.setDefault(probabilityCol, "probability");
    owner.setDefault(rawPredictionCol, "rawPrediction");
    owner.setDefault(threshold, 0.5);
  }
}
