package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.Module;
import io.sparkgrad.engine.nn.ReLU;
import io.sparkgrad.engine.nn.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tutorial's MNIST MLP, 784-512-256-128-64-10 with ReLU and CrossEntropyLoss, batch 64: ten
 * steps of each optimizer against PyTorch. Weights and batches are not stored; both sides draw them
 * from {@link SplitMix64}. The fixture holds the step losses, every 101st element of each final
 * tensor, and each tensor's float64 sum.
 */
class MnistNetGoldenTest {
  static final int[] SIZES = {784, 512, 256, 128, 64, 10};

  static final double RTOL = 1e-4;

  /**
   * As in {@link SmallNetGoldenTest}: an entry is compared against max(|b|, 1e-2 * max |b|) of its
   * tensor (here of the sample), since float32 error scales with the tensor, not the entry.
   */
  static final double FLOOR = 1e-2;

  /** As in {@link SmallNetGoldenTest}, the update (final - initial) is checked on its own. */
  static final double UPDATE_RTOL = 1e-2;

  private static final Goldens.Report REPORT = new Goldens.Report("MNIST net goldens");
  private static SafeTensors.Contents golden;
  private static Map<String, Tensor> init;
  private static Tensor[][] batches;
  private static int stride;
  private static double inputSum;
  private static double labelSum;

  @BeforeAll
  static void draw() {
    golden = Goldens.load("mnist_net.safetensors");
    long weightSeed = Long.parseLong(Goldens.meta(golden, "weight_seed"));
    init = new LinkedHashMap<>();
    for (int l = 0; l + 1 < SIZES.length; l++) {
      int in = SIZES[l];
      int out = SIZES[l + 1];
      double bound = 1.0 / Math.sqrt(in);
      float[] w = SplitMix64.uniform(weightSeed + 2 * l, out * in, -bound, bound);
      float[] b = SplitMix64.uniform(weightSeed + 2 * l + 1, out, -bound, bound);
      // Sequential names: Linear layers at 0, 2, 4, ... with a ReLU between.
      init.put((2 * l) + ".weight", Tensor.of(w, out, in));
      init.put((2 * l) + ".bias", Tensor.of(b, out));
    }
    int batch = Integer.parseInt(Goldens.meta(golden, "batch"));
    int steps = Integer.parseInt(Goldens.meta(golden, "steps"));
    int rows = batch * steps;
    float[] x =
        SplitMix64.uniform(
            Long.parseLong(Goldens.meta(golden, "input_seed")), rows * SIZES[0], 0.0, 1.0);
    float[] y =
        SplitMix64.labels(
            Long.parseLong(Goldens.meta(golden, "label_seed")), rows, SIZES[SIZES.length - 1]);
    inputSum = sum(x);
    labelSum = sum(y);
    batches =
        Trajectories.zip(
            Trajectories.split(Tensor.of(x, rows, SIZES[0]), batch),
            Trajectories.split(Tensor.of(y, rows), batch));
    stride = Integer.parseInt(Goldens.meta(golden, "sample_stride"));
  }

  private static double sum(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v;
    }
    return s;
  }

  /** The drawn data equals the generator's, exactly, before any training is compared. */
  @Test
  void splitMixDrawsMatchTheGenerator() {
    assertEquals(Double.parseDouble(Goldens.meta(golden, "input_sum")), inputSum);
    assertEquals(Double.parseDouble(Goldens.meta(golden, "label_sum")), labelSum);
    init.forEach(
        (k, v) ->
            assertEquals(
                Double.parseDouble(Goldens.meta(golden, "init." + k + ".sum")), sum(v.data()), k));
  }

  static Module model() {
    Generator g = new Generator(0); // overwritten by loadStateDict
    List<Module> layers = new ArrayList<>();
    for (int l = 0; l + 1 < SIZES.length; l++) {
      layers.add(new Linear(SIZES[l], SIZES[l + 1], g));
      if (l + 2 < SIZES.length) {
        layers.add(new ReLU());
      }
    }
    return new Sequential(layers);
  }

  static Iterable<String> optimizers() {
    return Trajectories.RUNS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void tenStepsMatchPyTorch(String run) {
    String name = Trajectories.fixture(run);
    Module model = model();
    model.loadStateDict(init);
    float[] losses =
        Trajectories.train(
            model,
            new CrossEntropyLoss(),
            Trajectories.optimizer(run, model.parameters()),
            batches);

    REPORT.add(
        run + " losses",
        Goldens.assertClose(
            name + " step losses", Goldens.tensor(golden, name + ".loss").data(), losses, RTOL, 0));
    double worst = 0;
    double worstSum = 0;
    double worstUpdate = 0;
    for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
      String key = name + "." + p.getKey();
      float[] all = p.getValue().data();
      float[] expected = Goldens.tensor(golden, key + ".sample").data();
      float[] sample = new float[(all.length + stride - 1) / stride];
      assertEquals(expected.length, sample.length, key + ": sample size");
      for (int i = 0; i < sample.length; i++) {
        sample[i] = all[i * stride];
      }
      worst =
          Math.max(
              worst,
              Goldens.assertClose(
                  key + " sample", expected, sample, RTOL, FLOOR * Goldens.maxAbs(expected)));
      float[] start = init.get(p.getKey()).data();
      float[] expectedUpdate = new float[sample.length];
      float[] actualUpdate = new float[sample.length];
      for (int i = 0; i < sample.length; i++) {
        expectedUpdate[i] = expected[i] - start[i * stride];
        actualUpdate[i] = sample[i] - start[i * stride];
      }
      worstUpdate =
          Math.max(
              worstUpdate,
              Goldens.assertClose(
                  key + " update",
                  expectedUpdate,
                  actualUpdate,
                  UPDATE_RTOL,
                  Goldens.updateScale(expected, expectedUpdate, UPDATE_RTOL)));
      double sum = sum(all);
      double expectedSum = Double.parseDouble(Goldens.meta(golden, key + ".sum"));
      double absSum = Double.parseDouble(Goldens.meta(golden, key + ".abs_sum"));
      // The sum of a tensor can cancel to near 0; its float32 error scales with the sum of |w|.
      double rel = Math.abs(sum - expectedSum) / Math.max(Math.abs(expectedSum), FLOOR * absSum);
      if (!(rel <= RTOL)) {
        throw new AssertionError(
            String.format(
                "%s: float64 sum is %s, PyTorch has %s (relative error %.3g > %.3g)",
                key, sum, expectedSum, rel, RTOL));
      }
      worstSum = Math.max(worstSum, rel);
    }
    REPORT.add(run + " weight samples", worst);
    REPORT.add(run + " weight sums", worstSum);
    REPORT.add(run + " updates", worstUpdate);
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
