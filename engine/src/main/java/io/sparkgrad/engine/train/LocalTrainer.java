package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.GradMode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.data.DataLoader;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.ops.Reduction;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop of one process over one block of packed rows: the tutorial's loop (forward,
 * loss, zeroGrad, backward, step) over a {@link DataLoader}, resumable at any (epoch, batch). Spark
 * runs one per partition; the same class run alone is engine-only training, which is why one
 * partition reproduces it exactly.
 */
public final class LocalTrainer {
  private final MlpSpec spec;
  private final Sequential model;
  private final Optimizer optimizer;
  private final Loss criterion;
  private final DataLoader loader;
  private final boolean weighted;
  private int cachedEpoch = -1;
  private int[] cachedOrder;

  /**
   * @param init draws the initial weights (ignored once {@link #loadWeights} is called)
   * @param shuffleSeed seed of the row order; epoch e's order depends only on (seed, e)
   */
  public LocalTrainer(
      MlpSpec spec,
      OptimizerSpec optimizerSpec,
      double learningRate,
      PackedData data,
      int batchSize,
      boolean shuffle,
      long shuffleSeed,
      Generator init) {
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
    this.model = spec.build(init);
    this.optimizer = optimizerSpec.create(model.parameters(), learningRate);
    if (optimizer instanceof SGD sgd) {
      // The loop reads no gradient between backward and step (computeGradients does not fuse).
      sgd.fuseMomentum(true);
    }
    this.weighted = data.hasWeights();
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
    return loader.batchesPerEpoch();
  }

  /** One optimisation step on {@code batch}; returns the batch's loss. */
  public float step(Batch batch) {
    // The optimizer's zeroGrad: a fused SGD seeds the gradients with its momentum buffers.
    optimizer.zeroGrad();
    float loss = forwardBackward(batch);
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
    if (!spec.loss().equals("cross_entropy") && target.dim() == 1) {
      target = Tensor.of(target.data(), target.size(0), 1);
    }
    Tensor loss = criterion.apply(output, target);
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
   * the epoch's end).
   */
  public Progress run(int epoch, int fromBatch, int maxSteps) {
    int end = Math.min(loader.batchesPerEpoch(), fromBatch + maxSteps);
    double lossSum = 0;
    long rows = 0;
    for (int b = fromBatch; b < end; b++) {
      Batch batch = batch(epoch, b);
      float loss = step(batch);
      if (!Float.isFinite(loss)) {
        throw new TrainingDivergedException(
            "The training loss became " + loss, epoch, b, optimizer.learningRate());
      }
      lossSum += (double) loss * batch.size();
      rows += batch.size();
    }
    if (end > fromBatch) {
      requireFiniteWeights(epoch, end - 1);
    }
    return new Progress(end - fromBatch, rows, lossSum);
  }

  /** Batch {@code index} of {@code epoch} in this trainer's row order. */
  public Batch batch(int epoch, int index) {
    if (epoch != cachedEpoch) {
      cachedOrder = loader.order(epoch);
      cachedEpoch = epoch;
    }
    return loader.batch(cachedOrder, index);
  }

  /**
   * Mean loss (weighted when the data has weights) and a metric over {@code data} without recording
   * a graph: accuracy for bce and cross_entropy, root mean squared error for mse.
   */
  public Evaluation evaluate(PackedData data) {
    DataLoader all = new DataLoader(data, 1024, false, 0L);
    double lossSum = 0;
    double weightSum = 0;
    double metricSum = 0;
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Batch b : all) {
        Tensor out = model.forward(b.inputs());
        Tensor target = b.targets();
        if (!spec.loss().equals("cross_entropy") && target.dim() == 1) {
          target = Tensor.of(target.data(), target.size(0), 1);
        }
        float[] perItem = spec.criterion(Reduction.NONE).apply(out, target).data();
        int perRow = perItem.length / b.size();
        for (int r = 0; r < b.size(); r++) {
          double w = b.weights() == null ? 1 : b.weights().data()[r];
          for (int j = 0; j < perRow; j++) {
            lossSum += w * perItem[r * perRow + j] / perRow;
          }
          weightSum += w;
          metricSum += w * rowMetric(out.data(), target.data(), r, perRow);
        }
      }
    }
    double loss = lossSum / weightSum;
    double metric = metricSum / weightSum;
    return new Evaluation(
        loss, spec.loss().equals("mse") ? Math.sqrt(metric) : metric, data.rows());
  }

  /** 1/0 for a correct/wrong class, or the squared error averaged over the row's outputs. */
  private double rowMetric(float[] out, float[] target, int r, int perRow) {
    switch (spec.loss()) {
      case "bce":
        return (out[r] > 0) == (target[r] > 0.5f) ? 1 : 0;
      case "cross_entropy":
        int k = spec.outputSize();
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (out[r * k + j] > out[r * k + best]) {
            best = j;
          }
        }
        return best == (int) target[r] ? 1 : 0;
      default:
        double se = 0;
        for (int j = 0; j < perRow; j++) {
          double d = out[r * perRow + j] - target[r * perRow + j];
          se += d * d;
        }
        return se / perRow;
    }
  }

  /** Validation figures: mean loss, metric (accuracy or RMSE) and the rows they cover. */
  public record Evaluation(double loss, double metric, long rows) implements java.io.Serializable {}

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

  /** Steps taken, rows seen and the sum over batches of loss x rows. */
  public record Progress(int steps, long rows, double lossSum) {}

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
