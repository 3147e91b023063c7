package io.sparkgrad.spark;

import org.apache.spark.ml.param.StringArrayParam;

/**
 * The featuresCols param's accessor, getter and setter, for {@link MLPEstimator} and {@link
 * MLPModel} alike. Spark finds the param through the public no-argument accessor.
 *
 * @param <T> the stage, which the setter returns
 */
public interface HasFeaturesCols<T extends HasFeaturesCols<T>> extends HasOutputParams<T> {

  /** This stage's featuresCols param. */
  FeaturesColsParams featuresColsParams();

  default StringArrayParam featuresCols() {
    return featuresColsParams().featuresCols;
  }

  /** The numeric columns to read the features from; empty when featuresCol is read instead. */
  default String[] getFeaturesCols() {
    return $(featuresCols()).clone();
  }

  /** Reads the features from these numeric columns, one feature each, in this order. */
  @SuppressWarnings("unchecked")
  default T setFeaturesCols(String... value) {
    return (T) set(featuresCols(), value.clone());
  }
}
