package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.spark.JavaSerialized;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;

/**
 * Trains over cached packed partitions. One partition: the whole fit in one task. Several:
 * data-parallel rounds, each broadcasting the state, letting every partition take its steps and
 * averaging on the driver (weights and optimizer state), or averaging gradients every step.
 */
public final class DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

  private final JavaSparkContext sc;
  private final JavaRDD<PackedPartition> data;
  // The partitions with training (validation) rows: a round runs no task for the others.
  private final JavaRDD<PackedPartition> training;
  private final JavaRDD<PackedPartition> validation;
  private final TrainingSettings s;
  private final int[] batchesPerPartition;
  private final Checkpoints checkpoints;
  private final boolean hasValidation;

  /**
   * @param trainRows training rows of each partition of {@code data}
   * @param validationRows validation rows of each partition
   * @param checkpoints where to save and resume from, or null for none; with checkpoints even one
   *     partition trains in per-epoch rounds so that every epoch's state reaches the driver
   */
  public DistributedTrainer(
      JavaSparkContext sc,
      JavaRDD<PackedPartition> data,
      TrainingSettings s,
      int[] trainRows,
      int[] validationRows,
      Checkpoints checkpoints) {
    this.sc = sc;
    this.checkpoints = checkpoints;
    this.data = data;
    this.s = s;
    this.batchesPerPartition = new int[trainRows.length];
    for (int i = 0; i < trainRows.length; i++) {
      batchesPerPartition[i] = (trainRows[i] + s.batchSize() - 1) / s.batchSize();
    }
    int[] batches = batchesPerPartition;
    this.training = prune(data, i -> batches[i] > 0);
    this.validation = prune(data, i -> validationRows[i] > 0);
    this.hasValidation = Arrays.stream(validationRows).anyMatch(r -> r > 0);
  }

  /**
   * The partitions of {@code data} that pass {@code keep}, reading the same cached blocks. With
   * only two task slots, two empty tasks after the real ones would add a scheduling delay to every
   * round.
   */
  private static JavaRDD<PackedPartition> prune(
      JavaRDD<PackedPartition> data, SerializableIntPredicate keep) {
    return JavaRDD.fromRDD(
        PartitionPruningRDD.create(
            data.rdd(), (Function1<Object, Object> & Serializable) i -> keep.test((Integer) i)),
        data.classTag());
  }

  /** A partition filter that can travel with the RDD's dependencies. */
  private interface SerializableIntPredicate extends Serializable {
    boolean test(int partition);
  }

  /**
   * {@code task}'s result for each partition of {@code parts}, in partition order, with {@code
   * state} broadcast to the tasks. State and results travel as Java-serialized bytes, so any
   * spark.serializer (Kryo included) carries them.
   */
  private <R extends Serializable> List<R> run(
      JavaRDD<PackedPartition> parts,
      ModelState state,
      Function2<PackedPartition, ModelState, R> task) {
    Broadcast<JavaSerialized<ModelState>> bc = sc.broadcast(JavaSerialized.of(state));
    try {
      return parts.map(p -> JavaSerialized.of(task.call(p, bc.value().get()))).collect().stream()
          .map(JavaSerialized::get)
          .toList();
    } finally {
      bc.destroy();
    }
  }

  /** The final state and the per-epoch summary. */
  public record Result(ModelState state, TrainingSummary summary) {}

  public Result fit(ModelState init) {
    int active = 0;
    for (int b : batchesPerPartition) {
      active += b > 0 ? 1 : 0;
    }
    double lr = s.effectiveLearningRate(active);
    String metric = s.spec().loss().equals("mse") ? "rmse" : "accuracy";
    if (data.getNumPartitions() == 1 && checkpoints == null) {
      sc.setJobDescription("sparkgrad fit: " + s.maxEpochs() + " epochs in one task");
      TrainingSettings settings = s;
      PartitionTasks.SoloResult r =
          run(data, init, (p, st) -> PartitionTasks.fitAlone(p, settings, st)).get(0);
      r.epochs().forEach(DistributedTrainer::log);
      return new Result(
          r.state(),
          new TrainingSummary(r.epochs(), metric, 1, lr, r.stopped(), r.best(), 0, 0, 0));
    }
    LOG.info(
        "sparkgrad: {} partitions hold data; {} at learning rate {}",
        active,
        s.averageGradients() ? "averaging gradients every step" : "averaging weights",
        lr);
    EarlyStopping stopping = new EarlyStopping(s.earlyStoppingPatience(), s.tol());
    List<EpochStats> epochs = new ArrayList<>();
    ModelState state = init;
    int start = 0;
    Checkpoints.Restored restored = checkpoints == null ? null : checkpoints.latest();
    if (restored != null) {
      LOG.info("sparkgrad: resuming after epoch {} from a checkpoint", restored.epochsDone());
      state = restored.state();
      epochs.addAll(restored.epochs());
      start = restored.epochsDone();
    }
    boolean stopped = false;
    for (int e = start; e < s.maxEpochs() && !stopped; e++) {
      sc.setJobDescription("sparkgrad fit: epoch " + (e + 1) + "/" + s.maxEpochs());
      long t0 = System.nanoTime();
      double[] lossAndRows = new double[2];
      state =
          s.averageGradients()
              ? gradientEpoch(state, e, lr, lossAndRows)
              : weightEpoch(state, e, lr, lossAndRows);
      long t1 = System.nanoTime();
      LocalTrainer.Evaluation v = validate(state);
      stopped = stopping.update(e, v.loss(), state);
      EpochStats stats =
          new EpochStats(
              e + 1,
              lossAndRows[0] / Math.max(1, lossAndRows[1]),
              v.loss(),
              v.metric(),
              (long) lossAndRows[1],
              (t1 - t0) / 1e9,
              (System.nanoTime() - t1) / 1e9);
      log(stats);
      epochs.add(stats);
      if (checkpoints != null && checkpoints.due(e + 1, s.maxEpochs())) {
        checkpoints.save(e + 1, state, epochs);
      }
    }
    sc.setJobDescription(null);
    return new Result(
        stopping.pick(state),
        new TrainingSummary(
            epochs, metric, active, lr, stopped, stopping.bestEpoch() + 1, 0, 0, 0));
  }

  private int maxBatches() {
    int m = 0;
    for (int b : batchesPerPartition) {
      m = Math.max(m, b);
    }
    return m;
  }

  private ModelState weightEpoch(ModelState state, int epoch, double lr, double[] acc) {
    int total = maxBatches();
    int span = s.syncInterval() == 0 ? total : s.syncInterval();
    for (int from = 0; from < total; from += span) {
      int f = from;
      TrainingSettings settings = s;
      List<PartitionTasks.RoundResult> results =
          run(
              training,
              state,
              (p, st) -> PartitionTasks.round(p, settings, lr, st, epoch, f, span));
      List<ModelState> states = new ArrayList<>();
      for (PartitionTasks.RoundResult r : results) {
        if (r.steps() > 0) {
          states.add(r.state());
          acc[0] += r.lossSum();
          acc[1] += r.rows();
        }
      }
      state = ModelState.average(states);
    }
    return state;
  }

  private ModelState gradientEpoch(ModelState state, int epoch, double lr, double[] acc) {
    LocalTrainer driver = PartitionTasks.trainer(emptyPartition(), s, lr, state);
    for (int b = 0; b < maxBatches(); b++) {
      int index = b;
      TrainingSettings settings = s;
      List<PartitionTasks.GradientResult> results =
          run(training, state, (p, st) -> PartitionTasks.gradients(p, settings, st, epoch, index));
      PartitionTasks.setGradients(driver, weightedMean(results, acc));
      driver.optimizer().step();
      state = ModelState.copyOf(driver.weights(), driver.optimizer().state());
    }
    return state;
  }

  /** Gradients averaged with each partition weighted by its batch's rows: the global batch's. */
  private static LinkedHashMap<String, float[]> weightedMean(
      List<PartitionTasks.GradientResult> results, double[] acc) {
    LinkedHashMap<String, float[]> sum = new LinkedHashMap<>();
    double rows = 0;
    for (PartitionTasks.GradientResult r : results) {
      if (r.rows() == 0) {
        continue;
      }
      rows += r.rows();
      acc[0] += r.loss() * r.rows();
      acc[1] += r.rows();
      r.grads()
          .forEach(
              (k, g) -> {
                float[] t = sum.computeIfAbsent(k, key -> new float[g.length]);
                for (int i = 0; i < g.length; i++) {
                  t[i] += g[i] * r.rows();
                }
              });
    }
    float inv = (float) (1.0 / rows);
    sum.values().forEach(g -> scale(g, inv));
    return sum;
  }

  private static void scale(float[] g, float f) {
    for (int i = 0; i < g.length; i++) {
      g[i] *= f;
    }
  }

  private PackedPartition emptyPartition() {
    int d = s.spec().inputSize();
    int k = s.spec().targetSize();
    float[] none = new float[0];
    return new PackedPartition(0, d, k, none, none, null, none, none, null, 0);
  }

  private LocalTrainer.Evaluation validate(ModelState state) {
    if (!hasValidation) {
      return new LocalTrainer.Evaluation(Double.NaN, Double.NaN, 0);
    }
    TrainingSettings settings = s;
    List<LocalTrainer.Evaluation> parts =
        run(validation, state, (p, st) -> PartitionTasks.evaluate(p, settings, st));
    double rows = 0;
    double loss = 0;
    double metric = 0;
    boolean rmse = s.spec().loss().equals("mse");
    for (LocalTrainer.Evaluation v : parts) {
      rows += v.rows();
      loss += v.loss() * v.rows();
      metric += (rmse ? v.metric() * v.metric() : v.metric()) * v.rows();
    }
    if (rows == 0) {
      return new LocalTrainer.Evaluation(Double.NaN, Double.NaN, 0);
    }
    double m = metric / rows;
    return new LocalTrainer.Evaluation(loss / rows, rmse ? Math.sqrt(m) : m, (long) rows);
  }

  private static void log(EpochStats e) {
    LOG.info(
        "sparkgrad epoch {}: train loss {}, validation loss {}, metric {}, {} rows, {} s",
        e.epoch(),
        String.format("%.5f", e.trainLoss()),
        String.format("%.5f", e.validationLoss()),
        String.format("%.4f", e.validationMetric()),
        e.rows(),
        String.format("%.3f", e.seconds()));
  }
}
