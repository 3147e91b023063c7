package io.sparkgrad.engine.nn;

import io.sparkgrad.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order, as {@code torch.nn.Sequential}; children are named "0", "1", ... so a
 * state dict reads "0.weight", "0.bias", "2.weight", ... as in PyTorch.
 */
public class Sequential extends Module {
  private final List<Module> layers = new ArrayList<>();

  public Sequential(Module... modules) {
    this(List.of(modules));
  }

  public Sequential(List<? extends Module> modules) {
    for (Module m : modules) {
      register(Integer.toString(layers.size()), m);
      layers.add(m);
    }
  }

  public Module get(int index) {
    return layers.get(index);
  }

  public int size() {
    return layers.size();
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : layers) {
      x = m.forward(x);
    }
    return x;
  }
}
