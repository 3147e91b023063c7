package io.sparkgrad.engine.train;

import io.sparkgrad.engine.optim.Optimizer;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running, weighted sum of worker states (or of gradients, with no optimizer state): each worker
 * counts by what it trained on in the round (rows, or their weight sum with sample weights), so
 * unequal workers count fairly. Sums add in place, a tree of them combines in any fixed shape, and
 * step counters (Adam's) take the largest count, exactly. A worker that trained on nothing adds
 * nothing, and a sum of one worker gives back that worker's values bit for bit. The sum takes
 * ownership of the arrays it is given.
 */
public final class StateSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double weight;
  private int contributors;
  // Raw values while one worker contributed; weighted sums from the second on.
  private boolean scaled;
  private final LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
  private final LinkedHashMap<String, float[]> opt = new LinkedHashMap<>();
  private final TrainFigures figures = new TrainFigures();

  /** Adds a worker's state or gradients counted as {@code by}, and its figures of the round. */
  public StateSum add(
      Map<String, float[]> values, Map<String, float[]> optState, double by, TrainFigures f) {
    StateSum one = new StateSum();
    one.figures.add(f);
    if (by > 0) {
      one.weight = by;
      one.contributors = 1;
      one.weights.putAll(values);
      one.opt.putAll(optState);
    }
    return merge(one);
  }

  /** Adds another sum into this one. */
  public StateSum merge(StateSum other) {
    figures.add(other.figures);
    if (other.contributors == 0) {
      return this;
    }
    if (contributors == 0) {
      weight = other.weight;
      contributors = other.contributors;
      scaled = other.scaled;
      weights.putAll(other.weights);
      opt.putAll(other.opt);
      return this;
    }
    scale();
    other.scale();
    accumulate(weights, other.weights);
    accumulate(opt, other.opt);
    weight += other.weight;
    contributors += other.contributors;
    return this;
  }

  /** Turns one worker's raw values into weighted values, once. */
  private void scale() {
    if (scaled) {
      return;
    }
    float by = (float) weight;
    for (Map<String, float[]> m : java.util.List.of(weights, opt)) {
      m.forEach(
          (k, v) -> {
            if (!Optimizer.isCounter(k)) {
              for (int i = 0; i < v.length; i++) {
                v[i] *= by;
              }
            }
          });
    }
    scaled = true;
  }

  private static void accumulate(Map<String, float[]> into, Map<String, float[]> from) {
    from.forEach(
        (k, v) -> {
          float[] t = into.get(k);
          if (t == null) {
            into.put(k, v);
          } else if (Optimizer.isCounter(k)) {
            t[0] = Math.max(t[0], v[0]);
          } else {
            for (int i = 0; i < t.length; i++) {
              t[i] += v[i];
            }
          }
        });
  }

  /** The total count (rows or weight) the sum holds. */
  public double weight() {
    return weight;
  }

  public TrainFigures figures() {
    return figures;
  }

  /** The weighted means of the weights (or gradients) added. */
  public LinkedHashMap<String, float[]> meanWeights() {
    return mean(weights);
  }

  /** The mean state; counters keep the largest count. */
  public TrainState mean() {
    return new TrainState(mean(weights), mean(opt));
  }

  private LinkedHashMap<String, float[]> mean(Map<String, float[]> sums) {
    if (contributors == 0) {
      throw new IllegalStateException("no worker trained on any row in this round");
    }
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    double inv = 1.0 / weight;
    sums.forEach(
        (k, v) -> {
          float[] m = v.clone();
          if (scaled && !Optimizer.isCounter(k)) {
            for (int i = 0; i < m.length; i++) {
              m[i] = (float) (m[i] * inv);
            }
          }
          out.put(k, m);
        });
    return out;
  }
}
