package io.sparkgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkgrad.spark.MLPEstimator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The MNIST example's schedule options reach the estimator; options not given stay unset. */
class MnistArgsTest {
  private static final Set<String> NAMES =
      Set.of("epochs", "schedule", "warmup", "step-size", "gamma", "min-lr", "max-grad-norm");

  @Test
  void scheduleOptionsSetTheEstimatorsParams() {
    MLPEstimator cosine =
        Mnist.estimator(
            new ExampleArgs(
                new String[] {
                  "--schedule", "cosine",
                  "--warmup", "2",
                  "--min-lr", "0.001",
                  "--max-grad-norm", "5"
                },
                NAMES));
    assertEquals("cosine", cosine.getLrSchedule());
    assertEquals(2, cosine.getWarmupEpochs());
    assertEquals(0.001, cosine.getMinLearningRate());
    assertEquals(5.0, cosine.getMaxGradNorm());
    assertFalse(cosine.isSet(cosine.lrGamma()), "gamma was not asked for");

    MLPEstimator step =
        Mnist.estimator(
            new ExampleArgs(
                new String[] {"--schedule", "step", "--step-size", "3", "--gamma", "0.5"}, NAMES));
    assertEquals(3, step.getLrStepSize());
    assertEquals(0.5, step.getLrGamma());
    assertEquals(0, step.getWarmupEpochs());
  }
}
