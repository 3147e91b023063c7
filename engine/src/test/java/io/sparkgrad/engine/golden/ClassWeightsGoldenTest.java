package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.train.ClassWeights;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.PackedData;
import io.sparkgrad.engine.train.ScheduleSpec;
import io.sparkgrad.engine.train.TrainSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A class-weighted fit's loss and gradients against PyTorch: cross_entropy against {@code
 * CrossEntropyLoss(weight=w)} (the weighted mean sum(w[y_i] * l_i) / sum(w[y_i])), bce against
 * {@code BCEWithLogitsLoss} with the per-row weight w[y_i] and the same weighted mean, each alone
 * and with sample weights s_i (row weight s_i * w[y_i]), on the trainer a fit's worker runs.
 */
class ClassWeightsGoldenTest {
  /**
   * Twice-plus the plain weighted goldens' 1e-5: class weights up to 3 scale the rows' terms before
   * the float32 sums, whose round-off then reaches ~1.2e-5 relative on a small gradient entry.
   */
  static final double RTOL = 3e-5;

  private static final Goldens.Report REPORT = new Goldens.Report("class weights goldens");
  private static SafeTensors.Contents golden;

  @BeforeAll
  static void load() {
    golden = Goldens.load("class_weights.safetensors");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cross_entropy", "cross_entropy_sampled", "bce", "bce_sampled"})
  void lossAndGradientsMatchPyTorch(String name) {
    Tensor x = Goldens.tensor(golden, name + ".x");
    Tensor y = Goldens.tensor(golden, name + ".y");
    float[] classWeights = Goldens.tensor(golden, name + ".class_weights").data();
    Map<String, float[]> init = new LinkedHashMap<>();
    golden
        .tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith(name + ".init.")) {
                init.put(k.substring((name + ".init.").length()), v.data());
              }
            });
    int outputs = init.get("2.bias").length;
    LossKind loss = name.startsWith("bce") ? LossKind.BCE : LossKind.CROSS_ENTROPY;
    MlpSpec spec = new MlpSpec(new int[] {4, 5, outputs}, "tanh", loss);
    double[] cw = new double[classWeights.length];
    for (int c = 0; c < cw.length; c++) {
      cw[c] = classWeights[c];
    }
    TrainSettings s =
        new TrainSettings(
            spec,
            new OptimizerSpec("sgd", 0.1, 0, false, 0),
            x.size(0),
            1,
            false,
            0L,
            0,
            false,
            false,
            0,
            0,
            ScheduleSpec.constant(),
            0,
            0,
            ClassWeights.of(cw));
    // Without sample weights the trainer sees unweighted rows: the class weights alone.
    float[] sample =
        name.endsWith("_sampled") ? Goldens.tensor(golden, name + ".sample_weights").data() : null;
    PackedData rows = new PackedData(x.size(0), 4, 1, x.data(), y.data(), sample);
    LocalTrainer trainer = new LocalTrainer(s, 0, rows, 0.1, null);
    trainer.loadWeights(init);
    float value = trainer.computeGradients(trainer.batch(0, 0));

    float expected = Goldens.tensor(golden, name + ".loss").item();
    REPORT.add(
        name + " loss",
        Goldens.assertClose(name + " loss", new float[] {expected}, new float[] {value}, RTOL, 0));
    double worst = 0;
    for (Map.Entry<String, Tensor> p : trainer.model().namedParameters().entrySet()) {
      float[] expectedGrad = Goldens.tensor(golden, name + ".grad." + p.getKey()).data();
      worst =
          Math.max(
              worst,
              Goldens.assertClose(
                  name + " grad " + p.getKey(),
                  expectedGrad,
                  p.getValue().grad(),
                  RTOL,
                  WeightedLossGoldenTest.FLOOR * Goldens.maxAbs(expectedGrad)));
    }
    REPORT.add(name + " gradients", worst);
    assertEquals(4, trainer.model().namedParameters().size());
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
