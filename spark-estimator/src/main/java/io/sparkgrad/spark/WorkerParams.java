package io.sparkgrad.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The estimator's data-parallel params, declared with their docs, ranges and defaults: how many
 * workers, how often they combine, what and at which learning rate. Spark finds them through the
 * estimator's accessors.
 */
final class WorkerParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final IntParam numWorkers;
  final IntParam syncInterval;
  final Param<String> syncMode;
  final BooleanParam scaleLearningRate;

  WorkerParams(Params owner) {
    numWorkers =
        new IntParam(
            owner,
            "numWorkers",
            "data-parallel workers, each a Spark task over its own share of the rows (>= 0; 0 ="
                + " auto: the session's task slots, fewer when the data is small)",
            ParamValidators.gtEq(0));
    syncInterval =
        new IntParam(
            owner,
            "syncInterval",
            "steps each worker takes between combining states (>= 0; 0 = chosen from the number"
                + " of workers)",
            ParamValidators.gtEq(0));
    String[] modes = {"average_weights", "average_gradients"};
    syncMode =
        new Param<>(
            owner,
            "syncMode",
            "average_weights (local SGD, rounds of syncInterval steps) or average_gradients"
                + " (synchronous SGD, one Spark job per step) (one of average_weights,"
                + " average_gradients)",
            ParamValidators.inArray(modes));
    scaleLearningRate =
        new BooleanParam(
            owner,
            "scaleLearningRate",
            "with sgd over N workers, step at N x learningRate after a warm-up (the linear"
                + " scaling rule), since combining N workers divides each step's effect by N");
    owner.setDefault(numWorkers, 0);
    owner.setDefault(syncInterval, 0);
    owner.setDefault(syncMode, "average_weights");
    owner.setDefault(scaleLearningRate, true);
  }
}
