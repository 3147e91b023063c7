package io.sparkgrad.engine.optim;

import io.sparkgrad.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, as {@code torch.optim.SGD}. For each parameter p with
 * gradient g, at step t:
 *
 * <pre>
 *   g = g + weightDecay * p
 *   b = g                                 at the first step (t = 1)
 *   b = momentum * b + (1 - dampening) * g  afterwards
 *   g = g + momentum * b   (nesterov)  or  g = b
 *   p = p - lr * g
 * </pre>
 *
 * With momentum 0 the buffer is not kept. Settings are validated when set; nesterov's need for a
 * momentum and zero dampening is checked at the first step, when all three are known.
 */
public class SGD extends Optimizer {
  private double momentum;
  private double dampening;
  private double weightDecay;
  private boolean nesterov;
  private boolean fuseMomentum;
  private final float[][] buffers;

  public SGD(List<Tensor> params, double lr) {
    super(params, lr);
    this.buffers = new float[this.params.size()][];
  }

  public SGD momentum(double value) {
    check(value >= 0, "Invalid momentum value: " + value);
    momentum = value;
    return this;
  }

  public SGD dampening(double value) {
    check(value >= 0 && value <= 1, "Invalid dampening value: " + value + " (expected [0, 1])");
    dampening = value;
    return this;
  }

  public SGD weightDecay(double value) {
    check(value >= 0, "Invalid weight_decay value: " + value);
    weightDecay = value;
    return this;
  }

  public SGD nesterov(boolean value) {
    nesterov = value;
    return this;
  }

  /**
   * With momentum, no dampening, weight decay or Nesterov: lets backward write each gradient
   * straight onto its momentum buffer ({@code b = momentum * b + g} in the weight-gradient GEMM),
   * so the step only applies {@code p -= lr * b}. Same arithmetic as the plain update, one pass
   * over the weights fewer. Between backward and step, {@code p.grad()} is then the new momentum
   * buffer rather than the bare gradient (the one exception to what {@link Tensor#grad()} means):
   * leave it off when anything reads or changes gradients there (clipping, averaging).
   */
  public SGD fuseMomentum(boolean value) {
    fuseMomentum = value;
    return this;
  }

  private boolean fused() {
    return fuseMomentum && momentum > 0 && dampening == 0 && weightDecay == 0 && !nesterov;
  }

  /** Clears the gradients; when fused, seeds each with its momentum buffer scaled by momentum. */
  @Override
  public void zeroGrad() {
    super.zeroGrad();
    if (!fused()) {
      return;
    }
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      if (p.requiresGrad()) {
        if (buffers[i] == null) {
          // Zero momentum makes the first step's b = g, as PyTorch's buffer initialisation.
          buffers[i] = new float[p.numel()];
        }
        p.seedGrad(buffers[i], (float) momentum);
      }
    }
  }

  @Override
  protected void update(int i, float[] w, float[] g) {
    check(
        !nesterov || (momentum > 0 && dampening == 0),
        "Nesterov momentum requires a momentum and zero dampening (momentum="
            + momentum
            + ", dampening="
            + dampening
            + ")");
    float lrF = (float) lr;
    float mu = (float) momentum;
    float keep = (float) (1 - dampening);
    float wd = (float) weightDecay;
    if (momentum == 0) {
      for (int j = 0; j < w.length; j++) {
        w[j] -= lrF * (g[j] + wd * w[j]);
      }
      return;
    }
    float[] b = buffers[i];
    if (g == b) {
      // Fused: backward already made b = momentum * b + g.
      descend(w, b, lrF);
      return;
    }
    boolean first = b == null;
    if (first) {
      b = buffers[i] = new float[w.length];
    }
    if (!first && wd == 0f && !nesterov) {
      momentumStep(w, g, b, lrF, mu, keep);
      return;
    }
    for (int j = 0; j < w.length; j++) {
      float d = wd == 0f ? g[j] : g[j] + wd * w[j];
      float bj = first ? d : mu * b[j] + keep * d;
      b[j] = bj;
      w[j] -= lrF * (nesterov ? d + mu * bj : bj);
    }
  }

  /**
   * The common case (momentum, no weight decay, no Nesterov) in a loop without conditions, which
   * the JIT vectorises: the update streams every weight once per step.
   */
  private static void momentumStep(
      float[] w, float[] g, float[] b, float lr, float mu, float keep) {
    for (int j = 0; j < w.length; j++) {
      float bj = mu * b[j] + keep * g[j];
      b[j] = bj;
      w[j] -= lr * bj;
    }
  }

  /** {@code w -= lr * b}, in a method of its own so that the JIT compiles it as a vector loop. */
  private static void descend(float[] w, float[] b, float lr) {
    for (int j = 0; j < w.length; j++) {
      w[j] -= lr * b[j];
    }
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < buffers.length; i++) {
      if (buffers[i] != null) {
        out.put(i + ".momentum_buffer", buffers[i]);
      }
    }
    return out;
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    for (int i = 0; i < buffers.length; i++) {
      float[] b = state.get(i + ".momentum_buffer");
      int n = params.get(i).numel();
      check(
          b == null || b.length == n,
          "momentum_buffer of parameter "
              + i
              + " has "
              + (b == null ? 0 : b.length)
              + " values; expected "
              + n);
      buffers[i] = b == null ? null : b.clone();
    }
  }
}
