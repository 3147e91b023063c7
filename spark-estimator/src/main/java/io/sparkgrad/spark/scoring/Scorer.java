package io.sparkgrad.spark.scoring;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.GradMode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.train.MlpSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained network ready to score blocks of rows: one GEMM per layer for a whole block, no graph.
 * Serializable so it is broadcast once per transform; the network is rebuilt lazily per JVM.
 */
public final class Scorer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final MlpSpec spec;
  private final LinkedHashMap<String, float[]> weights;
  private transient volatile Sequential network;

  public Scorer(MlpSpec spec, Map<String, float[]> weights) {
    this.spec = spec;
    this.weights = new LinkedHashMap<>(weights);
  }

  public MlpSpec spec() {
    return spec;
  }

  private Sequential network() {
    if (network == null) {
      Sequential net = spec.build(new Generator(0));
      net.namedParameters()
          .forEach((k, p) -> System.arraycopy(weights.get(k), 0, p.data(), 0, p.numel()));
      network = net;
    }
    return network;
  }

  /** Raw outputs (rows x outputSize) for {@code rows} feature rows packed in {@code x}. */
  public float[] forward(float[] x, int rows) {
    try (GradMode.Scope s = GradMode.noGrad()) {
      return network().forward(Tensor.of(x, rows, spec.inputSize())).data();
    }
  }
}
