package io.sparkgrad.engine.train;

import io.sparkgrad.engine.nn.ClipGrad;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's half of exact synchronous SGD: one optimizer step on the workers' mean gradient, as
 * one process would take it on the union of their batches.
 */
final class GradientStep {
  private final Sequential model;
  private final Optimizer optimizer;
  private final double maxGradNorm;

  GradientStep(TrainSettings s, TrainState at) {
    model = s.spec().build(null); // the weights are loaded next
    optimizer = s.optimizer().create(model.parameters(), s.optimizer().learningRate());
    maxGradNorm = s.maxGradNorm();
    load(at);
  }

  private void load(TrainState at) {
    model
        .namedParameters()
        .forEach((k, p) -> System.arraycopy(at.weights().get(k), 0, p.data(), 0, p.numel()));
    optimizer.loadState(at.opt());
  }

  /** The state after one step with gradient {@code grads} (by parameter name) at {@code lr}. */
  TrainState apply(Map<String, float[]> grads, double lr) {
    optimizer.zeroGrad();
    model.namedParameters().forEach((k, p) -> p.accumulateGrad(grads.get(k)));
    if (maxGradNorm > 0) {
      // Clip the mean gradient: what one process would clip on the union of the batches.
      ClipGrad.clipGradNorm(model.parameters(), maxGradNorm);
    }
    optimizer.setLearningRate(lr);
    optimizer.step();
    LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
    model.namedParameters().forEach((k, p) -> weights.put(k, p.data()));
    return TrainState.copyOf(weights, optimizer.state());
  }
}
