package io.sparkgrad.spark.training;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.PackedData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The work a Spark task does on its cached partition; no Spark types, only the engine. */
public final class PartitionTasks {
  private PartitionTasks() {}

  static LocalTrainer trainer(PackedPartition p, TrainingSettings s, double lr, ModelState from) {
    LocalTrainer t =
        new LocalTrainer(
            s.spec(),
            s.optimizer(),
            lr,
            p.train(),
            s.batchSize(),
            s.shuffle(),
            s.shuffleSeed(p.partition()),
            new Generator(s.seed()));
    if (from != null) {
      t.loadWeights(from.weights());
      t.optimizer().loadState(from.opt());
    }
    return t;
  }

  /** Result of a whole fit run inside one task (one partition). */
  public record SoloResult(ModelState state, List<EpochStats> epochs, boolean stopped, int best)
      implements Serializable {}

  /**
   * The whole fit on one partition, in one task: exactly the engine's training loop, so one
   * partition reproduces engine-only training.
   */
  public static SoloResult fitAlone(PackedPartition p, TrainingSettings s, ModelState init) {
    LocalTrainer t = trainer(p, s, s.effectiveLearningRate(1), init);
    EarlyStopping stopping = new EarlyStopping(s.earlyStoppingPatience(), s.tol());
    List<EpochStats> epochs = new ArrayList<>();
    boolean stopped = false;
    ModelState state = null;
    for (int e = 0; e < s.maxEpochs() && !stopped; e++) {
      long t0 = System.nanoTime();
      LocalTrainer.Progress progress = t.run(e, 0, Integer.MAX_VALUE);
      long t1 = System.nanoTime();
      LocalTrainer.Evaluation v =
          p.validationRows() > 0
              ? t.evaluate(p.validation())
              : new LocalTrainer.Evaluation(Double.NaN, Double.NaN, 0);
      state =
          new ModelState(
              new LinkedHashMap<>(t.weights()), new LinkedHashMap<>(t.optimizer().state()));
      stopped = stopping.update(e, v.loss(), state);
      epochs.add(
          new EpochStats(
              e + 1,
              progress.lossSum() / Math.max(1, progress.rows()),
              v.loss(),
              v.metric(),
              progress.rows(),
              (t1 - t0) / 1e9,
              (System.nanoTime() - t1) / 1e9));
    }
    if (state == null) {
      state = ModelState.copyOf(t.weights(), t.optimizer().state());
    }
    return new SoloResult(stopping.pick(state), epochs, stopped, stopping.bestEpoch() + 1);
  }

  /** What one partition did in one round of local SGD. */
  public record RoundResult(int steps, long rows, double lossSum, ModelState state)
      implements Serializable {}

  /**
   * Up to {@code steps} steps of epoch {@code epoch} from batch {@code from}, from {@code state}.
   */
  public static RoundResult round(
      PackedPartition p,
      TrainingSettings s,
      double lr,
      ModelState state,
      int epoch,
      int from,
      int steps) {
    LocalTrainer t = trainer(p, s, lr, state);
    LocalTrainer.Progress progress = t.run(epoch, from, steps);
    return new RoundResult(
        progress.steps(),
        progress.rows(),
        progress.lossSum(),
        progress.steps() == 0 ? null : ModelState.copyOf(t.weights(), t.optimizer().state()));
  }

  /** One partition's gradient for batch {@code index} of {@code epoch} (synchronous SGD). */
  public record GradientResult(int rows, double loss, LinkedHashMap<String, float[]> grads)
      implements Serializable {}

  public static GradientResult gradients(
      PackedPartition p, TrainingSettings s, ModelState state, int epoch, int index) {
    LocalTrainer t = trainer(p, s, s.optimizer().learningRate(), state);
    if (index >= t.batchesPerEpoch()) {
      return new GradientResult(0, 0, null);
    }
    var batch = t.batch(epoch, index);
    float loss = t.computeGradients(batch);
    LinkedHashMap<String, float[]> grads = new LinkedHashMap<>();
    t.model().namedParameters().forEach((k, v) -> grads.put(k, v.grad().clone()));
    return new GradientResult(batch.size(), loss, grads);
  }

  /** Validation loss and metric of {@code state} on the partition's validation rows. */
  public static LocalTrainer.Evaluation evaluate(
      PackedPartition p, TrainingSettings s, ModelState state) {
    if (p.validationRows() == 0) {
      return new LocalTrainer.Evaluation(0, 0, 0);
    }
    PackedData v = p.validation();
    return trainer(p, s, s.optimizer().learningRate(), state).evaluate(v);
  }

  /** Writes averaged gradients into the driver model's parameters. */
  static void setGradients(LocalTrainer t, LinkedHashMap<String, float[]> grads) {
    t.model()
        .namedParameters()
        .forEach(
            (k, p) -> {
              Tensor param = p;
              param.gradBeta();
              System.arraycopy(grads.get(k), 0, param.gradBuffer(), 0, param.numel());
            });
  }
}
