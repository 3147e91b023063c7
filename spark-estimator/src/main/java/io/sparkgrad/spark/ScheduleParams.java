package io.sparkgrad.spark;

import io.sparkgrad.engine.train.ScheduleSpec;
import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The estimator's learning-rate schedule and gradient clipping params, declared with their docs,
 * ranges and defaults, and resolved into the engine's {@link ScheduleSpec}. Spark finds them
 * through {@link HasScheduleParams}.
 */
public final class ScheduleParams implements Serializable {
  private static final long serialVersionUID = 1L;

  public final Param<String> lrSchedule;
  public final IntParam lrStepSize;
  public final DoubleParam lrGamma;
  public final DoubleParam minLearningRate;
  public final IntParam warmupEpochs;
  public final DoubleParam maxGradNorm;

  ScheduleParams(Params owner) {
    String[] names = ScheduleSpec.NAMES.toArray(new String[0]);
    lrSchedule =
        new Param<>(
            owner,
            "lrSchedule",
            "learning rate per epoch: constant, step (x lrGamma every lrStepSize epochs),"
                + " exponential (x lrGamma every epoch) or cosine (half a cosine from learningRate"
                + " to minLearningRate over the epochs after warm-up) (one of "
                + String.join(", ", names)
                + ")",
            ParamValidators.inArray(names));
    lrStepSize =
        new IntParam(
            owner,
            "lrStepSize",
            "lrSchedule step: epochs between decays (>= 1); required for step",
            ParamValidators.gtEq(1));
    lrGamma =
        new DoubleParam(
            owner,
            "lrGamma",
            "lrSchedule step or exponential: factor of each decay (in (0, 1]); required for"
                + " exponential",
            ParamValidators.inRange(0, 1, false, true));
    minLearningRate =
        new DoubleParam(
            owner,
            "minLearningRate",
            "lrSchedule cosine: the rate it anneals to (>= 0, at most learningRate)",
            ParamValidators.gtEq(0));
    warmupEpochs =
        new IntParam(
            owner,
            "warmupEpochs",
            "epochs of linear warm-up before the schedule: epoch k < W trains at (k + 1) / (W + 1)"
                + " of learningRate (>= 0, below maxEpochs; 0 = none)",
            ParamValidators.gtEq(0));
    maxGradNorm =
        new DoubleParam(
            owner,
            "maxGradNorm",
            "clip each step's gradients to this total 2-norm, as torch.nn.utils.clip_grad_norm_"
                + " (>= 0; 0 = no clipping)",
            ParamValidators.gtEq(0));
    owner.setDefault(lrSchedule, "constant");
    owner.setDefault(lrGamma, 0.1);
    owner.setDefault(minLearningRate, 0.0);
    owner.setDefault(warmupEpochs, 0);
    owner.setDefault(maxGradNorm, 0.0);
  }

  /**
   * The schedule of {@code owner}'s params for a fit at {@code learningRate} over {@code
   * maxEpochs}; a param the chosen schedule does not use, or one it needs and lacks, fails here.
   */
  ScheduleSpec resolve(Params owner, double learningRate, int maxEpochs) {
    String name = owner.getOrDefault(lrSchedule);
    boolean step = name.equals("step");
    boolean cosine = name.equals("cosine");
    boolean exponential = name.equals("exponential");
    onlyFor(owner, lrStepSize, step, name, "step");
    onlyFor(owner, lrGamma, step || exponential, name, "step or exponential");
    onlyFor(owner, minLearningRate, cosine, name, "cosine");
    if (step && !owner.isSet(lrStepSize)) {
      throw new InvalidInputException(
          "Param lrSchedule 'step' needs lrStepSize, the epochs between decays; set it (>= 1),"
              + " e.g. setLrStepSize(10).");
    }
    if (exponential && !owner.isSet(lrGamma)) {
      throw new InvalidInputException(
          "Param lrSchedule 'exponential' needs lrGamma, the factor per epoch; set it (in (0,"
              + " 1]), e.g. setLrGamma(0.95). Its default 0.1 is step's.");
    }
    double minLr = (Double) owner.getOrDefault(minLearningRate);
    if (cosine && minLr > learningRate) {
      throw new InvalidInputException(
          "Param minLearningRate ("
              + minLr
              + ") is above learningRate ("
              + learningRate
              + "); cosine anneals down to it: set it to at most learningRate.");
    }
    int warmup = (Integer) owner.getOrDefault(warmupEpochs);
    if (warmup > 0 && warmup >= maxEpochs) {
      throw new InvalidInputException(
          "Param warmupEpochs ("
              + warmup
              + ") leaves no epoch of maxEpochs ("
              + maxEpochs
              + ") for the schedule; set it below maxEpochs.");
    }
    int stepSize = step ? (Integer) owner.getOrDefault(lrStepSize) : 0;
    double gamma = (Double) owner.getOrDefault(lrGamma);
    return new ScheduleSpec(name, stepSize, gamma, minLr, warmup);
  }

  private static void onlyFor(
      Params owner, Param<?> param, boolean used, String schedule, String usedBy) {
    if (owner.isSet(param) && !used) {
      throw new InvalidInputException(
          "Param "
              + param.name()
              + " applies to lrSchedule "
              + usedBy
              + " only, but lrSchedule is '"
              + schedule
              + "'; clear it (clear("
              + param.name()
              + "())) or choose that schedule.");
    }
  }
}
