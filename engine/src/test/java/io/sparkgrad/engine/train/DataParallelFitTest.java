package io.sparkgrad.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Generator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataParallelFitTest {
  private static final DataParallelFit.Progress QUIET = new DataParallelFit.Progress() {};

  private static FitResult fit(TrainSettings s, List<RowBlocks> workers) {
    List<RowBlocks> none = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      none.add(TrainData.inOrder(new float[0][], workers.get(0).hasWeights()));
    }
    return new DataParallelFit(s, new LocalWorkers(s, workers, none), null, QUIET)
        .run(TrainData.init(s));
  }

  /**
   * Exact synchronous SGD: three workers of unequal size averaging gradients take the step one
   * process takes on the union of their batches, weighted or not.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void averagedGradientsStepAsOneProcessOnTheUnionOfBatches(boolean weighted) {
    float[][] all = TrainData.rows(16, 3, weighted);
    List<RowBlocks> workers =
        List.of(
            TrainData.inOrder(java.util.Arrays.copyOfRange(all, 0, 5), weighted),
            TrainData.inOrder(java.util.Arrays.copyOfRange(all, 5, 13), weighted),
            TrainData.inOrder(java.util.Arrays.copyOfRange(all, 13, 16), weighted));
    TrainSettings s = TrainData.settings("sgd", 8, 1, true);
    FitResult sync = fit(s, workers);

    LocalTrainer one =
        new LocalTrainer(
            s.spec(),
            s.optimizer(),
            0.05,
            TrainData.inOrder(all, weighted),
            16,
            false,
            0,
            new Generator(s.seed()));
    one.run(0, 0, 1);
    one.weights().forEach((k, v) -> assertArrayEquals(v, sync.state().weights().get(k), 2e-6f, k));
    assertEquals(16, sync.epochs().get(0).rows());
  }

  /** One worker, one round an epoch: bit for bit the engine's own loop. */
  @ParameterizedTest
  @ValueSource(strings = {"sgd", "adam"})
  void oneWorkerIsTheEngineLoop(String optimizer) {
    float[][] rows = TrainData.rows(100, 5, false);
    RowBlocks data = TrainData.inOrder(rows, false);
    TrainSettings s = TrainData.settings(optimizer, 16, 3, false);
    FitResult r = fit(s, List.of(data));
    LocalTrainer engine =
        new LocalTrainer(
            s.spec(), s.optimizer(), 0.05, data, 16, true, s.shuffleSeed(0), new Generator(7));
    double lossSum = 0;
    for (int e = 0; e < 3; e++) {
      TrainFigures f = engine.run(e, 0, Integer.MAX_VALUE);
      lossSum = f.lossSum() / f.lossWeight();
    }
    engine.weights().forEach((k, v) -> assertArrayEquals(v, r.state().weights().get(k), k));
    assertEquals(lossSum, r.epochs().get(2).trainLoss(), 1e-12);
    assertEquals(3, r.epochsRun());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void divergenceStopsEitherModeWithWhereAndWhat(boolean gradients) {
    TrainSettings wild =
        TrainData.settings(new OptimizerSpec("sgd", 1e38, 0.9, false, 0), 2, gradients, 0);
    List<RowBlocks> workers = TrainData.dealt(TrainData.rows(64, 2, false), 7, 2, false);
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> fit(wild, workers));
    assertTrue(e.getMessage().matches(".* at epoch \\d+, step \\d+ .*"), e.getMessage());
    assertTrue(e.getMessage().contains("learning rate 1.0E38"), e.getMessage());
    assertTrue(e.getMessage().contains("To fix"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aLossThatNeverFallsIsAnnounced(boolean stuck) {
    TrainSettings s =
        TrainData.settings(new OptimizerSpec("sgd", stuck ? 0 : 0.1, 0, false, 0), 3, false, 0);
    FitResult r = fit(s, TrainData.dealt(TrainData.rows(64, 2, false), 7, 2, false));
    if (stuck) {
      assertNotNull(r.warning());
      assertTrue(r.warning().contains("never fell below its first epoch's"), r.warning());
    } else {
      assertNull(r.warning());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 8, 16, 32})
  void scalingRuleForNWorkers(int n) {
    TrainSettings sgd = TrainData.settings("sgd", 64, 10, false);
    TrainSettings scaled =
        new TrainSettings(sgd.spec(), sgd.optimizer(), 64, 10, true, 7, 0, false, true, 0, 0);
    Scaling rule = Scaling.of(scaled, n, 938 / n);
    assertEquals(0.05 * n, rule.lr().peak(), 1e-12);
    assertEquals(0.05, rule.lr().at(0), 1e-12);
    assertTrue(rule.syncInterval() >= 1 && rule.syncInterval() <= 938 / n);
    // Adam normalises its steps: not scaled. An explicit interval wins.
    TrainSettings adam =
        new TrainSettings(
            sgd.spec(),
            new OptimizerSpec("adam", 0.05, 0, false, 0),
            64,
            10,
            true,
            7,
            3,
            false,
            true,
            0,
            0);
    Scaling fixed = Scaling.of(adam, n, 938 / n);
    assertEquals(0.05, fixed.lr().peak(), 1e-12);
    assertEquals(Math.min(3, 938 / n), fixed.syncInterval());
    assertEquals(0.05, Scaling.of(sgd, n, 938 / n).lr().peak(), 1e-12);
  }
}
