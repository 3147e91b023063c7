package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.data.Dataset;
import io.sparkgrad.engine.data.TensorDataset;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A weighted fit's loss against PyTorch: LocalTrainer's weighted mean over a batch with unequal
 * sample weights (one of them zero) and the gradients it leaves in a 4-5-k tanh net, against
 * PyTorch's {@code reduction='none'} losses (each row's outputs averaged) multiplied by the weights
 * and divided by their sum.
 */
class WeightedLossGoldenTest {
  static final double RTOL = 1e-5;

  /**
   * Gradient entries are compared at 1e-3 of their tensor's largest entry at least: an entry that
   * nearly cancels carries the absolute float32 error of the sums that produced it.
   */
  static final double FLOOR = 1e-3;

  private static final Goldens.Report REPORT = new Goldens.Report("weighted loss goldens");
  private static SafeTensors.Contents golden;

  @BeforeAll
  static void load() {
    golden = Goldens.load("weighted_loss.safetensors");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mse", "bce", "cross_entropy"})
  void lossAndGradientsMatchPyTorch(String loss) {
    Tensor x = Goldens.tensor(golden, loss + ".x");
    Tensor y = Goldens.tensor(golden, loss + ".y");
    Tensor w = Goldens.tensor(golden, loss + ".w");
    Map<String, float[]> init = new LinkedHashMap<>();
    golden
        .tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith(loss + ".init.")) {
                init.put(k.substring((loss + ".init.").length()), v.data());
              }
            });
    int outputs = init.get("2.bias").length;
    assertTrue(containsZero(w.data()), "the golden's weights include a zero");

    MlpSpec spec = new MlpSpec(new int[] {4, 5, outputs}, "tanh", LossKind.of(loss));
    LocalTrainer trainer =
        new LocalTrainer(
            spec,
            new OptimizerSpec("sgd", 0.1, 0, false, 0),
            0.1,
            weighted(new TensorDataset(x, y), w.data()),
            x.size(0),
            false,
            0L,
            null);
    trainer.loadWeights(init);
    float value = trainer.computeGradients(new Batch(x, y, w));

    float expected = Goldens.tensor(golden, loss + ".loss").item();
    REPORT.add(
        loss + " loss",
        Goldens.assertClose(loss + " loss", new float[] {expected}, new float[] {value}, RTOL, 0));
    double worst = 0;
    for (Map.Entry<String, Tensor> p : trainer.model().namedParameters().entrySet()) {
      float[] expectedGrad = Goldens.tensor(golden, loss + ".grad." + p.getKey()).data();
      worst =
          Math.max(
              worst,
              Goldens.assertClose(
                  loss + " grad " + p.getKey(),
                  expectedGrad,
                  p.getValue().grad(),
                  RTOL,
                  FLOOR * Goldens.maxAbs(expectedGrad)));
    }
    REPORT.add(loss + " gradients", worst);
    assertEquals(4, trainer.model().namedParameters().size());
  }

  private static boolean containsZero(float[] w) {
    for (float v : w) {
      if (v == 0f) {
        return true;
      }
    }
    return false;
  }

  /** {@code rows} with sample weights, as a weighted fit's packed data. */
  private static Dataset weighted(TensorDataset rows, float[] weights) {
    return new Dataset() {
      @Override
      public int size() {
        return rows.size();
      }

      @Override
      public int inputSize() {
        return rows.inputSize();
      }

      @Override
      public int targetSize() {
        return rows.targetSize();
      }

      @Override
      public void read(int index, float[] in, int inOff, float[] out, int outOff) {
        rows.read(index, in, inOff, out, outOff);
      }

      @Override
      public boolean hasWeights() {
        return true;
      }

      @Override
      public float weight(int index) {
        return weights[index];
      }
    };
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
