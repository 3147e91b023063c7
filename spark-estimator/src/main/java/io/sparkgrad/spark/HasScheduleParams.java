package io.sparkgrad.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Accessors, getters and setters of the learning-rate schedule and gradient clipping params ({@link
 * ScheduleParams}). Spark finds params through public no-argument methods returning a Param, which
 * the accessors below are.
 *
 * @param <T> the stage, which the setters return
 */
public interface HasScheduleParams<T extends HasScheduleParams<T>> extends Params {

  /** This stage's schedule params. */
  ScheduleParams scheduleParams();

  default Param<String> lrSchedule() {
    return scheduleParams().lrSchedule;
  }

  default IntParam lrStepSize() {
    return scheduleParams().lrStepSize;
  }

  default DoubleParam lrGamma() {
    return scheduleParams().lrGamma;
  }

  default DoubleParam minLearningRate() {
    return scheduleParams().minLearningRate;
  }

  default IntParam warmupEpochs() {
    return scheduleParams().warmupEpochs;
  }

  default DoubleParam maxGradNorm() {
    return scheduleParams().maxGradNorm;
  }

  default String getLrSchedule() {
    return $(lrSchedule());
  }

  default int getLrStepSize() {
    return (Integer) $(lrStepSize());
  }

  default double getLrGamma() {
    return (Double) $(lrGamma());
  }

  default double getMinLearningRate() {
    return (Double) $(minLearningRate());
  }

  default int getWarmupEpochs() {
    return (Integer) $(warmupEpochs());
  }

  default double getMaxGradNorm() {
    return (Double) $(maxGradNorm());
  }

  @SuppressWarnings("unchecked")
  default T setLrSchedule(String value) {
    return (T) set(lrSchedule(), value);
  }

  @SuppressWarnings("unchecked")
  default T setLrStepSize(int value) {
    return (T) set(lrStepSize(), value);
  }

  @SuppressWarnings("unchecked")
  default T setLrGamma(double value) {
    return (T) set(lrGamma(), value);
  }

  @SuppressWarnings("unchecked")
  default T setMinLearningRate(double value) {
    return (T) set(minLearningRate(), value);
  }

  @SuppressWarnings("unchecked")
  default T setWarmupEpochs(int value) {
    return (T) set(warmupEpochs(), value);
  }

  @SuppressWarnings("unchecked")
  default T setMaxGradNorm(double value) {
    return (T) set(maxGradNorm(), value);
  }
}
