package io.sparkgrad.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StateSumTest {
  private static StateSum worker(float w, float m, int step, double by, long rows) {
    return new StateSum()
        .add(
            Map.of("0.weight", new float[] {w, 2 * w}),
            Map.of("0.exp_avg", new float[] {m}, "0.step", new float[] {step}),
            by,
            new TrainFigures(step, rows, 0.5 * by, by));
  }

  @Test
  void weightedMeanCountsWorkersByWhatTheyTrainedOn() {
    StateSum sum =
        worker(1, 10, 5, 3, 3).merge(worker(4, 40, 7, 1, 1)).merge(worker(9, 9, 9, 0, 0));
    TrainState mean = sum.mean();
    assertArrayEquals(new float[] {1.75f, 3.5f}, mean.weights().get("0.weight"), 1e-6f);
    assertArrayEquals(new float[] {17.5f}, mean.opt().get("0.exp_avg"), 1e-5f);
    // Adam's step count: the most steps any worker took, not a rounded average.
    assertArrayEquals(new float[] {7f}, mean.opt().get("0.step"));
    assertEquals(4.0, sum.weight());
    assertEquals(4, sum.figures().rows());
    assertEquals(9, sum.figures().steps());
    assertEquals(0.5, sum.figures().meanLoss(), 1e-12);
  }

  @Test
  void anyTreeShapeGivesTheSameMean() {
    TrainState left =
        worker(1, 1, 1, 2, 2).merge(worker(2, 2, 1, 3, 3)).merge(worker(3, 3, 1, 5, 5)).mean();
    TrainState right =
        worker(1, 1, 1, 2, 2).merge(worker(2, 2, 1, 3, 3).merge(worker(3, 3, 1, 5, 5))).mean();
    assertArrayEquals(left.weights().get("0.weight"), right.weights().get("0.weight"), 1e-6f);
  }

  @Test
  void oneWorkerComesBackBitForBit() {
    float w = 0.1f + 1e-8f;
    StateSum one = new StateSum().merge(worker(w, 0.3f, 2, 1875, 1875)).merge(new StateSum());
    assertArrayEquals(new float[] {w, 2 * w}, one.mean().weights().get("0.weight"));
    assertArrayEquals(new float[] {0.3f}, one.mean().opt().get("0.exp_avg"));
  }

  @Test
  void nothingTrainedHasNoMean() {
    StateSum empty = worker(1, 1, 1, 0, 0);
    assertEquals(0.0, empty.weight());
    assertThrows(IllegalStateException.class, empty::mean);
    StateSum sum = new StateSum();
    assertSame(sum, sum.merge(empty));
  }
}
