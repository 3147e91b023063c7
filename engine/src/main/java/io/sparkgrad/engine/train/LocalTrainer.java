package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.GradMode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.data.DataLoader;
import io.sparkgrad.engine.data.Dataset;
import io.sparkgrad.engine.nn.ClipGrad;
import io.sparkgrad.engine.nn.Dropout;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.ops.Reduction;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop of one worker over its rows: the tutorial's loop (forward, loss, zeroGrad,
 * backward, step) over a {@link DataLoader}, resumable at any (epoch, batch). Every worker of a
 * data-parallel fit runs one; the same class run alone is engine-only training, which is why one
 * worker reproduces it exactly.
 */
public final class LocalTrainer {
  private final MlpSpec spec;
  private final Sequential model;
  private final Optimizer optimizer;
  private final Loss criterion;
  private final DataLoader loader;
  private final boolean weighted;
  private final float[] classWeights; // null: none
  private final long dropoutSeed;
  private final List<Dropout> dropouts;
  private int evenBatches;
  private double maxGradNorm;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  /**
   * @param init draws the initial weights; null leaves them zero for {@link #loadWeights}
   * @param shuffleSeed seed of the row order; epoch e's order depends only on (seed, e)
   */
  public LocalTrainer(
      MlpSpec spec,
      OptimizerSpec optimizerSpec,
      double learningRate,
      Dataset data,
      int batchSize,
      boolean shuffle,
      long shuffleSeed,
      Generator init) {
    this(
        spec,
        optimizerSpec,
        learningRate,
        data,
        batchSize,
        shuffle,
        shuffleSeed,
        init,
        0,
        0L,
        null);
  }

  /**
   * Worker {@code worker}'s trainer in a fit with settings {@code s}: its row order, its dropout
   * masks and the class weights all come from {@code s}.
   */
  public LocalTrainer(
      TrainSettings s, int worker, Dataset data, double learningRate, Generator init) {
    this(
        s.spec(),
        s.optimizer(),
        learningRate,
        data,
        s.batchSize(),
        s.shuffle(),
        s.shuffleSeed(worker),
        init,
        s.dropout(),
        s.dropoutSeed(worker),
        s.classWeights());
  }

  private LocalTrainer(
      MlpSpec spec,
      OptimizerSpec optimizerSpec,
      double learningRate,
      Dataset data,
      int batchSize,
      boolean shuffle,
      long shuffleSeed,
      Generator init,
      double dropout,
      long dropoutSeed,
      ClassWeights classWeights) {
    if (data.inputSize() != spec.inputSize() || data.targetSize() != spec.targetSize()) {
      throw new IllegalArgumentException(
          "Data rows have "
              + data.inputSize()
              + " inputs and "
              + data.targetSize()
              + " targets but "
              + spec
              + " expects "
              + spec.inputSize()
              + " and "
              + spec.targetSize());
    }
    this.spec = spec;
    this.model = spec.build(init, dropout);
    this.dropoutSeed = dropoutSeed;
    this.dropouts =
        model.modules().stream()
            .filter(Dropout.class::isInstance)
            .map(Dropout.class::cast)
            .toList();
    this.classWeights = classWeights == null ? null : toFloats(classWeights.values());
    this.optimizer = optimizerSpec.create(model.parameters(), learningRate);
    if (optimizer instanceof SGD sgd) {
      // The loop reads no gradient between backward and step (computeGradients does not fuse).
      sgd.fuseMomentum(true);
    }
    this.weighted = data.hasWeights() || classWeights != null;
    this.criterion = spec.criterion(weighted ? Reduction.NONE : Reduction.MEAN);
    this.loader = new DataLoader(data, batchSize, shuffle, shuffleSeed);
  }

  public Sequential model() {
    return model;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public int batchesPerEpoch() {
    return evenBatches > 0 ? evenBatches : loader.batchesPerEpoch();
  }

  /** True when batch {@code index} of an epoch exists and holds at least one row. */
  public boolean hasBatch(int index) {
    return index < batchesPerEpoch()
        && (evenBatches == 0 || DataLoader.evenBatchSize(loader.size(), index, evenBatches) > 0);
  }

  /**
   * Cuts every epoch into {@code batches} near-equal mini-batches instead of runs of batchSize with
   * a shorter last one; 0 restores the DataLoader's batches.
   */
  public LocalTrainer evenBatches(int batches) {
    evenBatches = batches;
    return this;
  }

  /**
   * Clips every step's gradients to total 2-norm {@code maxNorm} before the update, as {@code
   * torch.nn.utils.clip_grad_norm_} between backward and step; 0 turns clipping off.
   */
  public LocalTrainer clipGradNorm(double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("Invalid max_norm: " + maxNorm + " (expected >= 0)");
    }
    maxGradNorm = maxNorm;
    if (optimizer instanceof SGD sgd) {
      // Clipping reads the bare gradients, which a fused momentum step never forms.
      sgd.fuseMomentum(maxNorm == 0);
    }
    return this;
  }

  private static float[] toFloats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  /**
   * Draws the dropout masks of the next forward from a generator that is a pure function of (this
   * worker's dropout seed, epoch, batch index): a step masks the same units however the run was
   * split into rounds or resumed.
   */
  public void seedDropout(int epoch, int index) {
    if (!dropouts.isEmpty()) {
      Generator g = new Generator(Generator.derive(Generator.derive(dropoutSeed, epoch), index));
      dropouts.forEach(d -> d.generator(g));
    }
  }

  /** One optimisation step on {@code batch}; returns the batch's loss. */
  public float step(Batch batch) {
    // The optimizer's zeroGrad: a fused SGD seeds the gradients with its momentum buffers.
    optimizer.zeroGrad();
    float loss = forwardBackward(batch);
    if (maxGradNorm > 0) {
      ClipGrad.clipGradNorm(model.parameters(), maxGradNorm);
    }
    optimizer.step();
    return loss;
  }

  /** Forward and backward on {@code batch}, leaving fresh gradients in the parameters. */
  public float computeGradients(Batch batch) {
    model.zeroGrad();
    return forwardBackward(batch);
  }

  private float forwardBackward(Batch batch) {
    Tensor output = model.forward(batch.inputs());
    Tensor target = batch.targets();
    Tensor loss = criterion.apply(output, criterionTarget(target));
    if (weighted) {
      loss = weightedMean(loss, batch.weights());
    }
    loss.backward();
    return loss.item();
  }

  /** Sum of w_i * l_i / sum(w) over rows (each row's outputs averaged), as a weighted mean. */
  private static Tensor weightedMean(Tensor perItem, Tensor weights) {
    float[] w = weights.data();
    double total = 0;
    for (float v : w) {
      total += v;
    }
    int perRow = perItem.numel() / w.length;
    float[] scaled = new float[perItem.numel()];
    float norm = total > 0 ? (float) (1.0 / (total * perRow)) : 0f;
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = w[i / perRow] * norm;
    }
    return perItem.mul(Tensor.of(scaled, perItem.shape())).sum();
  }

  /**
   * Runs batches {@code fromBatch} to {@code fromBatch + maxSteps - 1} of {@code epoch} (fewer at
   * the epoch's end) at the optimizer's current learning rate.
   */
  public TrainFigures run(int epoch, int fromBatch, int maxSteps) {
    double lr = optimizer.learningRate();
    return run(new RoundSpec(epoch, fromBatch, maxSteps, 0, LearningRate.constant(lr), false));
  }

  /** Runs one round's batches, each step at the round's learning rate for its global step. */
  public TrainFigures run(RoundSpec round) {
    int epoch = round.epoch();
    int from = round.fromBatch();
    int end = (int) Math.min(batchesPerEpoch(), (long) from + round.steps());
    double lossSum = 0;
    double lossWeight = 0;
    long rows = 0;
    int steps = 0;
    for (int b = from; b < end; b++) {
      if (!hasBatch(b)) {
        continue; // the worker has fewer rows than batches
      }
      optimizer.setLearningRate(round.lr().at(round.globalStep(b)));
      Batch batch = batch(epoch, b);
      seedDropout(epoch, b);
      steps++;
      float loss = step(batch);
      if (!Float.isFinite(loss)) {
        throw new TrainingDivergedException(
            "The training loss became " + loss, epoch, b, optimizer.learningRate());
      }
      double w = batchWeight(batch);
      lossSum += loss * w;
      lossWeight += w;
      rows += batch.size();
    }
    if (end > from) {
      requireFiniteWeights(epoch, end - 1);
    }
    return new TrainFigures(steps, rows, lossSum, lossWeight);
  }

  /** What a batch counts for when workers are combined: its rows, or its weight sum. */
  public static double batchWeight(Batch batch) {
    if (batch.weights() == null) {
      return batch.size();
    }
    double w = 0;
    for (float v : batch.weights().data()) {
      w += v;
    }
    return w;
  }

  /**
   * Batch {@code index} of {@code epoch} in this trainer's row order; with class weights, each
   * row's weight is its sample weight (1 without) times its class's weight.
   */
  public Batch batch(int epoch, int index) {
    if (epoch != cachedEpoch) {
      cachedOrder = loader.order(epoch);
      cachedEpoch = epoch;
    }
    Batch b =
        evenBatches > 0
            ? loader.evenBatch(cachedOrder, index, evenBatches)
            : loader.batch(cachedOrder, index);
    return classWeights == null ? b : withClassWeights(b);
  }

  private Batch withClassWeights(Batch b) {
    float[] labels = b.targets().data();
    float[] w = new float[b.size()];
    for (int r = 0; r < w.length; r++) {
      float sample = b.weights() == null ? 1f : b.weights().data()[r];
      w[r] = sample * classWeights[(int) labels[r]];
    }
    return new Batch(b.inputs(), b.targets(), Tensor.of(w, w.length));
  }

  /**
   * Partial sums of the loss (weighted when the data has weights) and the loss's metric over {@code
   * data}, without recording a graph, in eval mode (no dropout). Class weights do not apply: the
   * loss and metric are those of the rows as they are.
   */
  public EvalSum evaluate(Dataset data) {
    DataLoader all = new DataLoader(data, 1024, false, 0L);
    EvalSum sum = new EvalSum();
    model.eval();
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Batch b : all) {
        Tensor out = model.forward(b.inputs());
        Tensor target = criterionTarget(b.targets());
        float[] perItem = spec.criterion(Reduction.NONE).apply(out, target).data();
        int perRow = perItem.length / b.size();
        for (int r = 0; r < b.size(); r++) {
          double loss = 0;
          for (int j = 0; j < perRow; j++) {
            loss += perItem[r * perRow + j];
          }
          double w = b.weights() == null ? 1 : b.weights().data()[r];
          int k = spec.outputSize();
          sum.add(loss / perRow, spec.loss().rowMetric(out.data(), target.data(), r, k), w);
        }
      }
    } finally {
      model.train();
    }
    return sum;
  }

  /** Targets as the criterion takes them: class indices flat, everything else (B, k). */
  private Tensor criterionTarget(Tensor target) {
    if (spec.loss() != LossKind.CROSS_ENTROPY && target.dim() == 1) {
      return Tensor.of(target.data(), target.size(0), 1);
    }
    return target;
  }

  /** Fails when any weight is NaN or infinite; checked once per run, not per step. */
  private void requireFiniteWeights(int epoch, int step) {
    model
        .namedParameters()
        .forEach(
            (name, p) -> {
              for (float v : p.data()) {
                if (!Float.isFinite(v)) {
                  throw new TrainingDivergedException(
                      "Weight " + name + " became " + v, epoch, step, optimizer.learningRate());
                }
              }
            });
  }

  /** The weights by PyTorch name; arrays shared with the model. */
  public Map<String, float[]> weights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    model.namedParameters().forEach((k, v) -> out.put(k, v.data()));
    return out;
  }

  /** Copies {@code weights} (by PyTorch name) into the model. */
  public void loadWeights(Map<String, float[]> weights) {
    model
        .namedParameters()
        .forEach(
            (k, v) -> {
              float[] src = weights.get(k);
              if (src == null || src.length != v.numel()) {
                throw new IllegalArgumentException(
                    "Weights for " + k + " are missing or have the wrong size (" + v.numel() + ")");
              }
              System.arraycopy(src, 0, v.data(), 0, src.length);
            });
  }
}
