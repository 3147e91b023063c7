package io.sparkgrad.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassWeightsTest {

  /** scikit-learn's n_samples / (n_classes * count_c), on 65 negatives and 35 positives. */
  @Test
  void balancedIsTheSklearnFormula() {
    double[] w = ClassWeights.balanced().resolve(new double[] {65, 35}).values();
    assertArrayEquals(new double[] {100.0 / (2 * 65), 100.0 / (2 * 35)}, w, 1e-12);
    // A class without rows never weighs a row; it keeps 1.
    double[] three = ClassWeights.balanced().resolve(new double[] {30, 0, 10}).values();
    assertArrayEquals(new double[] {40.0 / 90, 1, 40.0 / 30}, three, 1e-12);
  }

  @Test
  void explicitWeightsMustBePositiveAndOnePerClass() {
    assertEquals(
        "class weight 1 is 0.0; every class weight must be finite and > 0",
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.of(1, 0)).getMessage());
    ClassWeights two = ClassWeights.of(1, 2);
    assertNull(two.problem(LossKind.BCE, 1));
    assertEquals(
        "loss cross_entropy has 3 classes (the output size) but 2 class weights were given",
        two.problem(LossKind.CROSS_ENTROPY, 3));
    assertEquals(
        "class weights apply to the classifiers (bce, cross_entropy), not to mse",
        two.problem(LossKind.MSE, 2));
    assertEquals("[1.0, 2.0]", two.toString());
    assertEquals("balanced", ClassWeights.balanced().toString());
  }
}
