package io.sparkgrad.engine.optim;

import io.sparkgrad.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers, as {@code torch.optim.Optimizer}: a list of parameters, per-parameter
 * state, {@link #zeroGrad()} and {@link #step()}. A parameter without a gradient is skipped.
 */
public abstract class Optimizer {
  protected final List<Tensor> params;
  protected double lr;
  // PyTorch's param_group["initial_lr"]: set by the first scheduler attached, the base of all.
  private double initialLr = Double.NaN;

  protected Optimizer(List<Tensor> params, double lr) {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException("Invalid learning rate: " + lr);
    }
    if (params.isEmpty()) {
      throw new IllegalArgumentException("optimizer got an empty parameter list");
    }
    this.params = new ArrayList<>(params);
    this.lr = lr;
  }

  public void zeroGrad() {
    for (Tensor p : params) {
      p.zeroGrad();
    }
  }

  /** Applies one update to every parameter that has a gradient. */
  public void step() {
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      float[] g = p.grad();
      if (g != null) {
        update(i, p.data(), g);
      }
    }
  }

  /** Updates parameter {@code index}'s weights {@code w} in place from its gradient {@code g}. */
  protected abstract void update(int index, float[] w, float[] g);

  public double learningRate() {
    return lr;
  }

  /** Sets the learning rate for the next steps (a schedule, or scaling by partitions). */
  public void setLearningRate(double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException("Invalid learning rate: " + value);
    }
    lr = value;
  }

  /**
   * The rate the first {@link LRScheduler} attached to this optimizer found (PyTorch's {@code
   * initial_lr}); every scheduler on it takes that as its base rate.
   */
  double initialLearningRate() {
    if (Double.isNaN(initialLr)) {
      initialLr = lr;
    }
    return initialLr;
  }

  public List<Tensor> parameters() {
    return params;
  }

  /**
   * The optimizer's state as named float arrays sharing storage with it ("0.momentum_buffer",
   * "3.exp_avg", ...: parameter index, then PyTorch's state name), so it can be averaged across
   * partitions and saved in checkpoints. Scalars such as Adam's step count are 1-element arrays.
   */
  public abstract Map<String, float[]> state();

  /**
   * True for the state entries that count steps (Adam's "step"): combining the states of several
   * workers takes their largest count, while every other entry is averaged.
   */
  public static boolean isCounter(String stateName) {
    return stateName.endsWith(".step");
  }

  /** Restores a state produced by {@link #state()} of an optimizer over the same parameters. */
  public abstract void loadState(Map<String, float[]> state);

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
