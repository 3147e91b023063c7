package io.sparkgrad.engine.optim;

import io.sparkgrad.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, as {@code torch.optim.Adam}; with {@code decoupled} it is AdamW. For each parameter p with
 * gradient g, at step t:
 *
 * <pre>
 *   p = p * (1 - lr * weightDecay)          AdamW
 *   g = g + weightDecay * p                 Adam
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final float[][] expAvg;
  private final float[][] expAvgSq;
  private final int[] steps;

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public Adam(List<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0.0);
  }

  public Adam(
      List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
    this(params, lr, beta1, beta2, eps, weightDecay, false);
  }

  Adam(
      List<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean decoupled) {
    super(params, lr);
    check(eps >= 0, "Invalid epsilon value: " + eps);
    check(beta1 >= 0 && beta1 < 1, "Invalid beta parameter at index 0: " + beta1);
    check(beta2 >= 0 && beta2 < 1, "Invalid beta parameter at index 1: " + beta2);
    check(weightDecay >= 0, "Invalid weight_decay value: " + weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    int n = this.params.size();
    this.expAvg = new float[n][];
    this.expAvgSq = new float[n][];
    this.steps = new int[n];
  }

  @Override
  protected void update(int i, float[] w, float[] g) {
    if (expAvg[i] == null) {
      expAvg[i] = new float[w.length];
      expAvgSq[i] = new float[w.length];
    }
    float[] m = expAvg[i];
    float[] v = expAvgSq[i];
    int t = ++steps[i];
    float shrink = (float) (1 - lr * weightDecay);
    float wd = (float) weightDecay;
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float oneMinusB1 = (float) (1 - beta1);
    float oneMinusB2 = (float) (1 - beta2);
    float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
    float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float epsF = (float) eps;
    for (int j = 0; j < w.length; j++) {
      float gj = g[j];
      if (decoupled) {
        w[j] *= shrink;
      } else if (wd != 0f) {
        gj += wd * w[j];
      }
      m[j] = m[j] * b1 + oneMinusB1 * gj;
      v[j] = v[j] * b2 + oneMinusB2 * gj * gj;
      float denom = (float) Math.sqrt(v[j]) / bc2Sqrt + epsF;
      w[j] -= stepSize * (m[j] / denom);
    }
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      if (expAvg[i] != null) {
        out.put(i + ".step", new float[] {steps[i]});
        out.put(i + ".exp_avg", expAvg[i]);
        out.put(i + ".exp_avg_sq", expAvgSq[i]);
      }
    }
    return out;
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    for (int i = 0; i < params.size(); i++) {
      float[] m = state.get(i + ".exp_avg");
      float[] v = state.get(i + ".exp_avg_sq");
      float[] t = state.get(i + ".step");
      int n = params.get(i).numel();
      if (m == null) {
        expAvg[i] = null;
        expAvgSq[i] = null;
        steps[i] = 0;
        continue;
      }
      check(
          v != null && t != null && t.length == 1 && m.length == n && v.length == n,
          "Adam state of parameter "
              + i
              + " is incomplete or has the wrong size (expected "
              + n
              + " values)");
      expAvg[i] = m.clone();
      expAvgSq[i] = v.clone();
      steps[i] = Math.round(t[0]);
    }
  }
}
