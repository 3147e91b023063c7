package io.sparkgrad.engine.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights (by PyTorch name) and optimizer state (as {@code Optimizer.state()} names them): what a
 * round starts every worker from and what combining the workers gives back.
 */
public final class TrainState implements Serializable {
  private static final long serialVersionUID = 1L;

  // A class, not a record: Spark may carry it with Kryo 4, which cannot write records.
  private final LinkedHashMap<String, float[]> weights;
  private final LinkedHashMap<String, float[]> opt;

  public TrainState(Map<String, float[]> weights, Map<String, float[]> opt) {
    this.weights = new LinkedHashMap<>(weights);
    this.opt = new LinkedHashMap<>(opt);
  }

  /** A state whose arrays are copies of the given ones. */
  public static TrainState copyOf(Map<String, float[]> weights, Map<String, float[]> opt) {
    return new TrainState(deepCopy(weights), deepCopy(opt));
  }

  public LinkedHashMap<String, float[]> weights() {
    return weights;
  }

  public LinkedHashMap<String, float[]> opt() {
    return opt;
  }

  public TrainState copy() {
    return copyOf(weights, opt);
  }

  private static LinkedHashMap<String, float[]> deepCopy(Map<String, float[]> in) {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }
}
