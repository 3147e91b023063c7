package io.sparkgrad.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The shared params' accessors, getters and setters, for {@link MLPEstimator} and {@link MLPModel}
 * alike, as PySpark's {@code MLPModelParams} serves both wrappers. Spark finds params through
 * public no-argument methods returning a Param, which the accessors below are.
 *
 * @param <T> the stage, which the setters return
 */
public interface HasOutputParams<T extends HasOutputParams<T>> extends Params {

  /** This stage's shared params. */
  OutputParams outputParams();

  default Param<String> featuresCol() {
    return outputParams().featuresCol;
  }

  default Param<String> predictionCol() {
    return outputParams().predictionCol;
  }

  default Param<String> probabilityCol() {
    return outputParams().probabilityCol;
  }

  default Param<String> rawPredictionCol() {
    return outputParams().rawPredictionCol;
  }

  default DoubleParam threshold() {
    return outputParams().threshold;
  }

  default String getFeaturesCol() {
    return $(featuresCol());
  }

  default String getPredictionCol() {
    return $(predictionCol());
  }

  default String getProbabilityCol() {
    return $(probabilityCol());
  }

  default String getRawPredictionCol() {
    return $(rawPredictionCol());
  }

  default double getThreshold() {
    return (Double) $(threshold());
  }

  @SuppressWarnings("unchecked")
  default T setFeaturesCol(String value) {
    return (T) set(featuresCol(), value);
  }

  @SuppressWarnings("unchecked")
  default T setPredictionCol(String value) {
    return (T) set(predictionCol(), value);
  }

  @SuppressWarnings("unchecked")
  default T setProbabilityCol(String value) {
    return (T) set(probabilityCol(), value);
  }

  @SuppressWarnings("unchecked")
  default T setRawPredictionCol(String value) {
    return (T) set(rawPredictionCol(), value);
  }

  @SuppressWarnings("unchecked")
  default T setThreshold(double value) {
    return (T) set(threshold(), value);
  }
}
