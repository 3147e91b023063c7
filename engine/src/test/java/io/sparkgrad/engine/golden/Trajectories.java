package io.sparkgrad.engine.golden;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.Module;
import io.sparkgrad.engine.optim.Adam;
import io.sparkgrad.engine.optim.AdamW;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import java.util.Arrays;
import java.util.List;

/** The optimizer settings of {@code generate_goldens.py} and its training loop, step for step. */
final class Trajectories {
  private Trajectories() {}

  /**
   * The runs checked against the fixture: each optimizer, plus SGD with momentum fused into the
   * gradient GEMM (as LocalTrainer runs it), which must follow the same trajectory.
   */
  static final List<String> RUNS =
      List.of(
          "sgd",
          "sgd_momentum",
          "sgd_momentum_fused",
          "sgd_nesterov",
          "sgd_weight_decay",
          "adam",
          "adamw",
          "adamw_defaults");

  /** The fixture a run is checked against. */
  static String fixture(String run) {
    return run.equals("sgd_momentum_fused") ? "sgd_momentum" : run;
  }

  static Optimizer optimizer(String name, List<Tensor> params) {
    switch (name) {
      case "sgd":
        return new SGD(params, 0.01);
      case "sgd_momentum":
        return new SGD(params, 0.01).momentum(0.5);
      case "sgd_momentum_fused":
        return new SGD(params, 0.01).momentum(0.5).fuseMomentum(true);
      case "sgd_nesterov":
        return new SGD(params, 0.01).momentum(0.9).nesterov(true);
      case "sgd_weight_decay":
        return new SGD(params, 0.01).momentum(0.5).dampening(0.1).weightDecay(1e-3);
      case "adam":
        return new Adam(params, 1e-3);
      case "adamw":
        return new AdamW(params, 1e-3, 0.9, 0.999, 1e-8, 0.01);
      case "adamw_defaults": // torch.optim.AdamW(params, lr): weight decay 0.01 by default
        return new AdamW(params, 1e-3);
      default:
        throw new IllegalArgumentException("no optimizer named " + name);
    }
  }

  /** PyTorch's loop: zero_grad, forward, loss, backward, step; returns each step's loss. */
  static float[] train(Module model, Loss criterion, Optimizer optimizer, Tensor[][] batches) {
    float[] losses = new float[batches.length];
    for (int s = 0; s < batches.length; s++) {
      optimizer.zeroGrad();
      Tensor loss = criterion.apply(model.forward(batches[s][0]), batches[s][1]);
      loss.backward();
      optimizer.step();
      losses[s] = loss.item();
    }
    return losses;
  }

  /** Consecutive row blocks of a 2-D tensor (or 1-D: elements), each a batch. */
  static Tensor[] split(Tensor all, int batch) {
    int cols = all.cols();
    int rows = all.rows();
    Tensor[] out = new Tensor[rows / batch];
    for (int b = 0; b < out.length; b++) {
      float[] part = Arrays.copyOfRange(all.data(), b * batch * cols, (b + 1) * batch * cols);
      out[b] = all.dim() == 2 ? Tensor.of(part, batch, cols) : Tensor.of(part, batch);
    }
    return out;
  }

  static Tensor[][] zip(Tensor[] xs, Tensor[] ys) {
    Tensor[][] out = new Tensor[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      out[i] = new Tensor[] {xs[i], ys[i]};
    }
    return out;
  }
}
