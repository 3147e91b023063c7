package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.optim.Adam;
import io.sparkgrad.engine.optim.AdamW;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import java.io.Serializable;
import java.util.List;

/** Which optimizer to build and its settings; {@code momentum} and {@code nesterov} are SGD's. */
public record OptimizerSpec(
    String name, double learningRate, double momentum, boolean nesterov, double weightDecay)
    implements Serializable {
  public static final List<String> NAMES = List.of("sgd", "adam", "adamw");

  public OptimizerSpec {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "optimizer '" + name + "' is not supported; use one of " + NAMES);
    }
  }

  /** A fresh optimizer over {@code params}, with the learning rate given. */
  public Optimizer create(List<Tensor> params, double lr) {
    switch (name) {
      case "sgd":
        return new SGD(params, lr).momentum(momentum).weightDecay(weightDecay).nesterov(nesterov);
      case "adam":
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay);
      default:
        return new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }
  }
}
