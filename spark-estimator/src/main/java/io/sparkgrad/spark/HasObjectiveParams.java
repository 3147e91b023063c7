package io.sparkgrad.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Params;

/**
 * Accessors, getters and setters of {@link ObjectiveParams}. Spark finds params through public
 * no-argument methods returning a Param, which the accessors below are.
 *
 * @param <T> the stage, which the setters return
 */
public interface HasObjectiveParams<T extends HasObjectiveParams<T>> extends Params {

  /** This stage's objective params. */
  ObjectiveParams objectiveParams();

  default DoubleParam dropout() {
    return objectiveParams().dropout;
  }

  default DoubleArrayParam classWeights() {
    return objectiveParams().classWeights;
  }

  default BooleanParam balancedClassWeights() {
    return objectiveParams().balancedClassWeights;
  }

  default double getDropout() {
    return (Double) $(dropout());
  }

  default double[] getClassWeights() {
    return $(classWeights());
  }

  default boolean getBalancedClassWeights() {
    return (Boolean) $(balancedClassWeights());
  }

  @SuppressWarnings("unchecked")
  default T setDropout(double value) {
    return (T) set(dropout(), value);
  }

  @SuppressWarnings("unchecked")
  default T setClassWeights(double[] value) {
    return (T) set(classWeights(), value);
  }

  @SuppressWarnings("unchecked")
  default T setBalancedClassWeights(boolean value) {
    return (T) set(balancedClassWeights(), value);
  }
}
