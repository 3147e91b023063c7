package io.sparkgrad.spark.training;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Weights (by PyTorch name) and optimizer state: what a round broadcasts and gets back. */
public record ModelState(LinkedHashMap<String, float[]> weights, LinkedHashMap<String, float[]> opt)
    implements Serializable {

  public static ModelState copyOf(Map<String, float[]> weights, Map<String, float[]> opt) {
    return new ModelState(deepCopy(weights), deepCopy(opt));
  }

  private static LinkedHashMap<String, float[]> deepCopy(Map<String, float[]> in) {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  /**
   * The element-wise mean of several states, summed in list order so the result does not depend on
   * which task finished first.
   */
  public static ModelState average(List<ModelState> states) {
    ModelState first = states.get(0);
    return new ModelState(
        mean(states.stream().map(ModelState::weights).toList(), first.weights()),
        mean(states.stream().map(ModelState::opt).toList(), first.opt()));
  }

  private static LinkedHashMap<String, float[]> mean(
      List<LinkedHashMap<String, float[]>> maps, Map<String, float[]> keys) {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    for (String k : keys.keySet()) {
      int n = keys.get(k).length;
      double[] acc = new double[n];
      int count = 0;
      for (Map<String, float[]> m : maps) {
        float[] v = m.get(k);
        if (v == null) {
          continue;
        }
        count++;
        for (int i = 0; i < n; i++) {
          acc[i] += v[i];
        }
      }
      float[] avg = new float[n];
      for (int i = 0; i < n; i++) {
        avg[i] = (float) (acc[i] / count);
      }
      out.put(k, avg);
    }
    return out;
  }
}
