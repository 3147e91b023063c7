package io.sparkgrad.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The featuresCols param, which the estimator and the model share: features read from a list of
 * numeric columns, one feature each, instead of one Vector or array column. Each stage makes one in
 * its constructor and exposes it through {@link HasFeaturesCols}.
 */
public final class FeaturesColsParams implements Serializable {
  private static final long serialVersionUID = 1L;

  public final StringArrayParam featuresCols;

  FeaturesColsParams(Params owner) {
    featuresCols =
        new StringArrayParam(
            owner,
            "featuresCols",
            "numeric columns (byte, short, int, long, float, double, or decimal of at most 15"
                + " digits), one feature each in this order, as many as layers[0]; empty to read"
                + " featuresCol instead (set only one of the two)");
    owner.setDefault(featuresCols, new String[0]);
  }
}
