package io.sparkgrad.engine.train;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.nn.Dropout;
import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.Loss;
import io.sparkgrad.engine.nn.Module;
import io.sparkgrad.engine.nn.ReLU;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.nn.Sigmoid;
import io.sparkgrad.engine.nn.Tanh;
import io.sparkgrad.engine.ops.Reduction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An MLP's architecture: layer sizes (input, hidden..., output), the hidden activation and the
 * loss. It builds the same {@code Sequential} a PyTorch user would write, so state dicts carry
 * PyTorch's names ("0.weight", "2.weight", ...). The network ends in a Linear layer: bce and
 * cross_entropy train on its logits through the fused, numerically stable losses.
 */
public record MlpSpec(int[] layers, String activation, LossKind loss) implements Serializable {
  public static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh");

  /** The spec with the loss given by its param value ("mse", "bce", "cross_entropy"). */
  public MlpSpec(int[] layers, String activation, String loss) {
    this(layers, activation, LossKind.of(loss));
  }

  public MlpSpec {
    if (layers == null || layers.length < 2) {
      throw new IllegalArgumentException(
          "layers needs at least an input and an output size; got " + Arrays.toString(layers));
    }
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] <= 0) {
        throw new IllegalArgumentException(
            "layers[" + i + "] is " + layers[i] + "; every layer size must be > 0");
      }
    }
    if (!ACTIVATIONS.contains(activation)) {
      throw new IllegalArgumentException(
          "activation '" + activation + "' is not supported; use one of " + ACTIVATIONS);
    }
    if (loss == null) {
      throw new IllegalArgumentException("loss is missing; use one of " + LossKind.NAMES);
    }
    String problem = loss.outputSizeProblem(layers[layers.length - 1]);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    layers = layers.clone();
  }

  public int inputSize() {
    return layers[0];
  }

  public int outputSize() {
    return layers[layers.length - 1];
  }

  /** Target values per row: 1 class index or label, or the output size for mse. */
  public int targetSize() {
    return loss.targetSize(outputSize());
  }

  /**
   * Builds the network, drawing initial weights from {@code generator} layer by layer; with null,
   * the weights are left zero for loading.
   */
  public Sequential build(Generator generator) {
    return build(generator, 0);
  }

  /**
   * Builds the network with {@link Dropout} of rate {@code dropout} after each hidden activation
   * (none for 0). Activation and dropout share one slot, a Sequential of the two without
   * parameters, so the parameter names stay those of the network without dropout ("0.weight",
   * "2.weight", ...) and a trained model saves and scores exactly as one without it.
   */
  public Sequential build(Generator generator, double dropout) {
    List<Module> modules = new ArrayList<>();
    for (int i = 0; i + 1 < layers.length; i++) {
      modules.add(new Linear(layers[i], layers[i + 1], generator));
      if (i + 2 < layers.length) {
        modules.add(
            dropout > 0
                ? new Sequential(activationModule(), new Dropout(dropout))
                : activationModule());
      }
    }
    return new Sequential(modules);
  }

  private Module activationModule() {
    switch (activation) {
      case "relu":
        return new ReLU();
      case "sigmoid":
        return new Sigmoid();
      default:
        return new Tanh();
    }
  }

  /** The training criterion on the network's raw output. */
  public Loss criterion(Reduction reduction) {
    return loss.criterion(reduction);
  }

  /** Number of weights and biases. */
  public long parameterCount() {
    long n = 0;
    for (int i = 0; i + 1 < layers.length; i++) {
      n += (long) layers[i] * layers[i + 1] + layers[i + 1];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MlpSpec s
        && Arrays.equals(layers, s.layers)
        && activation.equals(s.activation)
        && loss.equals(s.loss);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(layers) * 31 + activation.hashCode() * 7 + loss.paramName().hashCode();
  }

  @Override
  public String toString() {
    return "MlpSpec" + Arrays.toString(layers) + " " + activation + " " + loss.paramName();
  }
}
