package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Base class of models and layers, as {@code torch.nn.Module}: a model is a class with a {@link
 * #forward} that registers its parameters and sub-modules by name. Names compose with dots
 * ("0.weight", "linear.bias"), exactly as PyTorch names them in a state dict.
 */
public abstract class Module {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  public abstract Tensor forward(Tensor input);

  /** Registers a sub-module under {@code name} and returns it, for use in field initialisers. */
  protected <M extends Module> M register(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  /** Registers a trainable tensor under {@code name}; it then requires a gradient. */
  protected Tensor registerParameter(String name, Tensor tensor) {
    checkName(name);
    tensor.requiresGrad(true);
    parameters.put(name, tensor);
    return tensor;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(
          "Module name '" + name + "' must be non-empty and contain no '.'");
    }
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("Name '" + name + "' is already registered");
    }
  }

  /** Every parameter, in registration order (depth first), as PyTorch's parameters(). */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out) {
    parameters.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, m) -> m.collect(prefix + k + ".", out));
  }

  /** The parameters by PyTorch name, as tensors sharing this model's storage. */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    namedParameters().forEach((k, v) -> out.put(k, v.detach()));
    return out;
  }

  /**
   * Copies values into this model's parameters. Like PyTorch's strict mode it fails, listing every
   * problem, on missing or unexpected names and on shape mismatches.
   */
  public void loadStateDict(Map<String, Tensor> state) {
    Map<String, Tensor> own = namedParameters();
    List<String> problems = new ArrayList<>();
    TreeSet<String> missing = new TreeSet<>(own.keySet());
    missing.removeAll(state.keySet());
    TreeSet<String> unexpected = new TreeSet<>(state.keySet());
    unexpected.removeAll(own.keySet());
    if (!missing.isEmpty()) {
      problems.add("missing key(s): " + missing);
    }
    if (!unexpected.isEmpty()) {
      problems.add("unexpected key(s): " + unexpected);
    }
    own.forEach(
        (name, p) -> {
          Tensor v = state.get(name);
          if (v != null && !Arrays.equals(v.shape(), p.shape())) {
            problems.add(
                "size mismatch for "
                    + name
                    + ": the file has shape "
                    + Arrays.toString(v.shape())
                    + ", the model has "
                    + Arrays.toString(p.shape()));
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Error(s) in loading state dict for "
              + getClass().getSimpleName()
              + ": "
              + String.join("; ", problems));
    }
    own.forEach((name, p) -> System.arraycopy(state.get(name).data(), 0, p.data(), 0, p.numel()));
  }

  public void zeroGrad() {
    for (Tensor p : parameters()) {
      p.zeroGrad();
    }
  }

  /** This module and every module under it, depth first, as PyTorch's modules(). */
  public List<Module> modules() {
    List<Module> out = new ArrayList<>();
    out.add(this);
    children.values().forEach(m -> out.addAll(m.modules()));
    return out;
  }

  /** Training mode (the default); returns this. */
  public Module train() {
    return setTraining(true);
  }

  /** Evaluation mode; returns this. */
  public Module eval() {
    return setTraining(false);
  }

  private Module setTraining(boolean mode) {
    training = mode;
    children.values().forEach(m -> m.setTraining(mode));
    return this;
  }

  public boolean isTraining() {
    return training;
  }

  /** Applies the module, as calling it does in PyTorch. */
  public Tensor apply(Tensor input) {
    return forward(input);
  }
}
