package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * Partial sums of a validation pass over some rows: weighted loss, weighted row metric, weight and
 * rows. Sums over any split of the rows add up before the metric is finished (RMSE takes its root
 * only then), so the figures do not depend on how the rows were split.
 */
public final class EvalSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double lossSum;
  private double metricSum;
  private double weight;
  private long rows;

  public EvalSum add(double loss, double metric, double w) {
    lossSum += w * loss;
    metricSum += w * metric;
    weight += w;
    rows++;
    return this;
  }

  public EvalSum merge(EvalSum o) {
    lossSum += o.lossSum;
    metricSum += o.metricSum;
    weight += o.weight;
    rows += o.rows;
    return this;
  }

  public long rows() {
    return rows;
  }

  /** The weighted mean loss and finished metric; NaN for both when no row had weight. */
  public Evaluation finish(LossKind loss) {
    if (!(weight > 0)) {
      return new Evaluation(Double.NaN, Double.NaN, rows);
    }
    return new Evaluation(lossSum / weight, loss.finishMetric(metricSum / weight), rows);
  }

  /** Validation figures: mean loss, metric (accuracy or RMSE) and the rows they cover. */
  public record Evaluation(double loss, double metric, long rows) implements Serializable {
    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN, 0);
  }
}
