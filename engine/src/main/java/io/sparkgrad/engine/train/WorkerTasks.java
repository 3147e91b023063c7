package io.sparkgrad.engine.train;

import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.data.Dataset;
import java.util.LinkedHashMap;

/**
 * What one worker does in a call of {@link Workers}, on its own rows; used in-process and by Spark.
 */
public final class WorkerTasks {
  private WorkerTasks() {}

  /** Worker {@code w}'s trainer over {@code rows}, starting from {@code from}. */
  static LocalTrainer trainer(TrainSettings s, int w, Dataset rows, TrainState from, double lr) {
    LocalTrainer t = new LocalTrainer(s, w, rows, lr, null); // weights loaded next: no init
    t.clipGradNorm(s.maxGradNorm());
    t.loadWeights(from.weights());
    t.optimizer().loadState(from.opt());
    return t;
  }

  /** Worker {@code w} runs {@code round}; its resulting state, counted by what it trained on. */
  public static StateSum round(
      TrainSettings s, int w, Dataset rows, TrainState from, RoundSpec round) {
    if (rows.size() == 0) {
      return new StateSum();
    }
    LocalTrainer t = trainer(s, w, rows, from, round.lr().base());
    if (round.evenBatches()) {
      t.evenBatches(round.stepsPerEpoch());
    }
    TrainFigures f = t.run(round);
    return new StateSum().add(t.weights(), t.optimizer().state(), f.lossWeight(), f);
  }

  /** Worker {@code w}'s gradient on batch {@code step.fromBatch()}, counted by its weight. */
  public static StateSum gradients(
      TrainSettings s, int w, Dataset rows, TrainState at, RoundSpec step) {
    if (rows.size() == 0) {
      return new StateSum();
    }
    LocalTrainer t = trainer(s, w, rows, at, s.optimizer().learningRate());
    if (step.evenBatches()) {
      t.evenBatches(step.stepsPerEpoch());
    }
    int index = step.fromBatch();
    if (!t.hasBatch(index)) {
      return new StateSum();
    }
    Batch batch = t.batch(step.epoch(), index);
    t.seedDropout(step.epoch(), index);
    float loss = t.computeGradients(batch);
    double weight = LocalTrainer.batchWeight(batch);
    LinkedHashMap<String, float[]> grads = new LinkedHashMap<>();
    t.model().namedParameters().forEach((k, v) -> grads.put(k, v.grad()));
    TrainFigures f = new TrainFigures(1, batch.size(), (double) loss * weight, weight);
    return new StateSum().add(grads, new LinkedHashMap<>(), weight, f);
  }

  /** Validation sums of {@code at} over {@code rows}. */
  public static EvalSum evaluate(TrainSettings s, Dataset rows, TrainState at) {
    if (rows.size() == 0) {
      return new EvalSum();
    }
    return trainer(s, 0, rows, at, s.optimizer().learningRate()).evaluate(rows);
  }
}
