package io.sparkgrad.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkgrad.engine.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dropout in a fit: its masks depend only on (seed, worker, epoch, batch), so a fit repeats exactly
 * and one worker split into rounds trains as the engine's loop in one go.
 */
class DropoutTrainingTest {
  private static final DataParallelFit.Progress QUIET = new DataParallelFit.Progress() {};

  private static TrainSettings settings(double dropout, int sync, boolean gradients) {
    TrainSettings s =
        TrainData.settings(new OptimizerSpec("sgd", 0.05, 0.5, false, 0), 2, gradients, sync);
    return new TrainSettings(
        s.spec(),
        s.optimizer(),
        s.batchSize(),
        s.maxEpochs(),
        s.shuffle(),
        s.seed(),
        s.syncInterval(),
        s.averageGradients(),
        s.scaleLearningRate(),
        s.earlyStoppingPatience(),
        s.tol(),
        s.schedule(),
        s.maxGradNorm(),
        dropout,
        null);
  }

  private static Map<String, float[]> fit(TrainSettings s, List<RowBlocks> workers) {
    List<RowBlocks> none = new ArrayList<>();
    workers.forEach(w -> none.add(TrainData.inOrder(new float[0][], false)));
    return new DataParallelFit(s, new LocalWorkers(s, workers, none), null, QUIET)
        .run(TrainData.init(s))
        .state()
        .weights();
  }

  /** One worker in rounds of 2 steps draws the masks of the uninterrupted loop, step by step. */
  @Test
  void roundsDrawTheMasksOfOneLoop() {
    RowBlocks data = TrainData.inOrder(TrainData.rows(60, 5, false), false);
    TrainSettings s = settings(0.3, 2, false);
    Map<String, float[]> rounds = fit(s, List.of(data));
    LocalTrainer loop = new LocalTrainer(s, 0, data, 0.05, new Generator(s.seed()));
    for (int epoch = 0; epoch < s.maxEpochs(); epoch++) {
      loop.run(epoch, 0, Integer.MAX_VALUE);
    }
    loop.weights().forEach((k, v) -> assertArrayEquals(v, rounds.get(k), k));
  }

  /** Two workers, either sync mode: the same fit twice gives the same weights, not dropout's. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aFitWithDropoutRepeats(boolean gradients) {
    List<RowBlocks> workers = TrainData.dealt(TrainData.rows(80, 6, false), 7, 2, false);
    Map<String, float[]> a = fit(settings(0.5, 1, gradients), workers);
    Map<String, float[]> b = fit(settings(0.5, 1, gradients), workers);
    Map<String, float[]> none = fit(settings(0, 1, gradients), workers);
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
    assertFalse(Arrays.equals(a.get("0.weight"), none.get("0.weight")), "dropout changes the fit");
  }
}
