package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.nn.BCELoss;
import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.nn.Sigmoid;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MLP 8-6-4-1 with sigmoids and BCELoss, batch 32: ten steps of each optimizer from PyTorch's
 * initial weights on PyTorch's batches, against PyTorch's losses and final weights (all stored).
 */
class SmallNetGoldenTest {
  static final double RTOL = 1e-5;

  /**
   * Weights are compared as |a - b| <= RTOL * max(|b|, 1e-2 * max |b| over the tensor): an entry
   * much smaller than its tensor's largest one (a weight crossing zero) carries the absolute
   * float32 error of the dot products that produced it, which scales with the tensor, not itself.
   */
  static final double FLOOR = 1e-2;

  /**
   * The update (final - initial) is checked on its own: with lr 0.01 the weights move by ~1e-3 of
   * their size, so a wrong update rule hides in the final weights' digits but not in the update. It
   * is a small difference of large numbers, hence the looser tolerance.
   */
  static final double UPDATE_RTOL = 1e-3;

  private static final Goldens.Report REPORT = new Goldens.Report("small net goldens");
  private static SafeTensors.Contents golden;
  private static Map<String, Tensor> init;
  private static Tensor[][] batches;

  @BeforeAll
  static void load() {
    golden = Goldens.load("small_net.safetensors");
    init = new LinkedHashMap<>();
    golden
        .tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("init.")) {
                init.put(k.substring("init.".length()), v);
              }
            });
    int batch = Integer.parseInt(Goldens.meta(golden, "batch"));
    batches =
        Trajectories.zip(
            Trajectories.split(Goldens.tensor(golden, "x"), batch),
            Trajectories.split(Goldens.tensor(golden, "y"), batch));
    assertEquals(Integer.parseInt(Goldens.meta(golden, "steps")), batches.length);
  }

  static Iterable<String> optimizers() {
    return Trajectories.RUNS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void tenStepsMatchPyTorch(String run) {
    String name = Trajectories.fixture(run);
    // The generator's draws are overwritten by PyTorch's initial weights.
    Generator g = new Generator(0);
    Sequential model =
        new Sequential(
            new Linear(8, 6, g),
            new Sigmoid(),
            new Linear(6, 4, g),
            new Sigmoid(),
            new Linear(4, 1, g),
            new Sigmoid());
    model.loadStateDict(init);
    float[] losses =
        Trajectories.train(
            model, new BCELoss(), Trajectories.optimizer(run, model.parameters()), batches);

    float[] expectedLosses = Goldens.tensor(golden, name + ".loss").data();
    REPORT.add(
        run + " losses",
        Goldens.assertClose(run + " step losses", expectedLosses, losses, RTOL, 0));
    double worst = 0;
    double worstUpdate = 0;
    for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
      float[] expected = Goldens.tensor(golden, name + "." + p.getKey()).data();
      float[] actual = p.getValue().data();
      String what = run + " final " + p.getKey();
      worst =
          Math.max(
              worst,
              Goldens.assertClose(what, expected, actual, RTOL, FLOOR * Goldens.maxAbs(expected)));
      float[] start = init.get(p.getKey()).data();
      float[] expectedUpdate = new float[start.length];
      float[] actualUpdate = new float[start.length];
      for (int i = 0; i < start.length; i++) {
        expectedUpdate[i] = expected[i] - start[i];
        actualUpdate[i] = actual[i] - start[i];
      }
      worstUpdate =
          Math.max(
              worstUpdate,
              Goldens.assertClose(
                  what + " update",
                  expectedUpdate,
                  actualUpdate,
                  UPDATE_RTOL,
                  Goldens.updateScale(expected, expectedUpdate, UPDATE_RTOL)));
    }
    REPORT.add(run + " weights", worst);
    REPORT.add(run + " updates", worstUpdate);
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
