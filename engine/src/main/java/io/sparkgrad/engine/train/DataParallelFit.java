package io.sparkgrad.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one epoch loop of every fit, engine-only or on Spark: rounds in which all workers train from
 * one state and their states are combined (or, with averageGradients, one combined gradient step
 * per batch), then validation, early stopping, checkpoints and divergence checks. One worker with
 * one round per epoch is exactly the engine's own loop.
 */
public final class DataParallelFit {
  /** Hears of the fit's progress, e.g. to log it or name Spark's jobs. */
  public interface Progress {
    default void epochStarted(int epoch, int maxEpochs) {}

    default void epochDone(EpochStats stats) {}
  }

  private final TrainSettings s;
  private final Workers workers;
  private final Checkpointer checkpoints;
  private final Progress progress;

  /**
   * @param checkpoints where to save and resume from, or null
   */
  public DataParallelFit(
      TrainSettings s, Workers workers, Checkpointer checkpoints, Progress progress) {
    this.s = s;
    this.workers = workers;
    this.checkpoints = checkpoints;
    this.progress = progress;
  }

  public FitResult run(TrainState init) {
    long[] rows = workers.trainRows();
    boolean even = workers.count() > 1;
    // One worker: the DataLoader's batches. Several: every worker the same number of batches,
    // from the mean rows per worker, so that all of them step in every round.
    long perWorker = even ? Arrays.stream(rows).sum() / workers.count() : rows[0];
    int stepsPerEpoch = (int) Math.max(1, (perWorker + s.batchSize() - 1) / s.batchSize());
    Scaling scaling = Scaling.of(s, workers.count(), stepsPerEpoch);
    // The schedule's rate of every epoch from epoch 0, so a resumed fit continues it where it was.
    double[] epochRates = s.schedule().rates(s.optimizer().learningRate(), s.maxEpochs());
    EarlyStopping stopping = new EarlyStopping(s.earlyStoppingPatience(), s.tol());
    List<EpochStats> epochs = new ArrayList<>();
    TrainState state = init;
    Checkpointer.Restored restored = checkpoints == null ? null : checkpoints.latest();
    if (restored != null) {
      state = restored.state();
      epochs.addAll(restored.epochs());
    }
    int start = epochs.size();
    boolean stopped = false;
    for (int e = start; e < s.maxEpochs() && !stopped; e++) {
      progress.epochStarted(e, s.maxEpochs());
      long t0 = System.nanoTime();
      TrainFigures figures = new TrainFigures();
      LearningRate lr = scaling.lr().withBase(epochRates[e]);
      state =
          s.averageGradients()
              ? gradientEpoch(state, e, stepsPerEpoch, lr, even, figures)
              : roundsEpoch(state, e, stepsPerEpoch, lr, scaling.syncInterval(), even, figures);
      long t1 = System.nanoTime();
      EvalSum.Evaluation v =
          workers.hasValidation()
              ? workers.evaluate(state).finish(s.spec().loss())
              : EvalSum.Evaluation.NONE;
      stopped = stopping.update(e, v.loss(), state);
      EpochStats stats =
          new EpochStats(
              e + 1,
              figures.meanLoss(),
              v.loss(),
              v.metric(),
              figures.rows(),
              lr.at((long) (e + 1) * stepsPerEpoch - 1),
              (t1 - t0) / 1e9,
              (System.nanoTime() - t1) / 1e9);
      epochs.add(stats);
      progress.epochDone(stats);
      if (checkpoints != null && checkpoints.due(e + 1, s.maxEpochs())) {
        checkpoints.save(e + 1, state, epochs);
      }
    }
    return new FitResult(
        stopping.pick(state),
        epochs,
        epochs.size() - start,
        stopped,
        stopping.bestEpoch(),
        workers.count(),
        s.averageGradients() ? 1 : scaling.syncInterval(),
        scaling.lr().peak(),
        stuckWarning(epochs));
  }

  private TrainState roundsEpoch(
      TrainState state,
      int epoch,
      int stepsPerEpoch,
      LearningRate lr,
      int span,
      boolean even,
      TrainFigures figures) {
    for (int from = 0; from < stepsPerEpoch; from += span) {
      RoundSpec round = new RoundSpec(epoch, from, span, stepsPerEpoch, lr, even);
      StateSum sum = workers.round(state, round);
      figures.add(sum.figures());
      state = sum.mean();
    }
    return state;
  }

  private TrainState gradientEpoch(
      TrainState state,
      int epoch,
      int stepsPerEpoch,
      LearningRate lr,
      boolean even,
      TrainFigures figures) {
    GradientStep step = new GradientStep(s, state);
    for (int b = 0; b < stepsPerEpoch; b++) {
      StateSum sum = workers.gradients(state, new RoundSpec(epoch, b, 1, stepsPerEpoch, lr, even));
      figures.add(sum.figures());
      double rate = lr.at((long) epoch * stepsPerEpoch + b);
      double loss = sum.figures().lossSum();
      if (!Double.isFinite(loss)) {
        throw new TrainingDivergedException("The training loss became " + loss, epoch, b, rate);
      }
      state = step.apply(sum.meanWeights(), rate);
      requireFinite(state.weights(), epoch, b, rate);
    }
    return state;
  }

  private static void requireFinite(Map<String, float[]> weights, int epoch, int step, double lr) {
    weights.forEach(
        (name, w) -> {
          for (float v : w) {
            if (!Float.isFinite(v)) {
              throw new TrainingDivergedException(
                  "Weight " + name + " became " + v, epoch, step, lr);
            }
          }
        });
  }

  /**
   * A warning when no epoch after the first trained to a lower loss than the first (by more than
   * 0.1%, so that rounding in a loss that does not move is not taken for progress).
   */
  static String stuckWarning(List<EpochStats> epochs) {
    if (epochs.size() < 2) {
      return null;
    }
    double first = epochs.get(0).trainLoss();
    for (EpochStats e : epochs.subList(1, epochs.size())) {
      if (e.trainLoss() < first - 1e-3 * Math.abs(first)) {
        return null;
      }
    }
    return String.format(
        "The training loss never fell below its first epoch's (%.5f) in %d epochs: the model may"
            + " be stuck (e.g. predicting the majority class). Try a larger learning rate or"
            + " optimizer adam, standardise the features (StandardScaler), or train longer.",
        first, epochs.size());
  }
}
