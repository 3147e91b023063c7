package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * dropout and the class weights in a Spark fit: the same weights whatever the partitioning,
 * balanced weights that are scikit-learn's formula on the counts, and clear errors for bad values.
 */
class DropoutClassWeightsTest {
  /** Three classes, class 2 thinned to a third, weights 1, 2, 3 in turn. */
  private static final List<Row> ROWS =
      SparkTestSession.rows(300, 4, 3, 11).stream()
          .filter(r -> r.getDouble(1) != 2 || r.hashCode() % 3 == 0)
          .toList();

  private static MLPEstimator estimator() {
    return new MLPEstimator()
        .setLayers(new int[] {4, 8, 3})
        .setOptimizer("adam")
        .setLearningRate(0.02)
        .setBatchSize(16)
        .setMaxEpochs(2)
        .setNumWorkers(2)
        .setSeed(9);
  }

  private static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
  }

  @Test
  void dropoutFitIsTheSameWhateverThePartitioning() {
    Map<String, float[]> one =
        estimator().setDropout(0.3).fit(SparkTestSession.ordered(ROWS, 1)).weightArrays();
    Map<String, float[]> five =
        estimator().setDropout(0.3).fit(SparkTestSession.frame(ROWS, 5)).weightArrays();
    Map<String, float[]> none = estimator().fit(SparkTestSession.ordered(ROWS, 1)).weightArrays();
    assertSameWeights(one, five);
    assertEquals(none.keySet(), one.keySet(), "dropout adds no weights to the model");
    assertFalse(Arrays.equals(none.get("0.weight"), one.get("0.weight")), "dropout trains");
  }

  /** Balanced: n_samples / (n_classes * count_c), rows counted by weightCol when it is set. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void balancedWeightsAreTheFormulaOnTheClassCounts(boolean weighted) {
    double[] counts = new double[3];
    ROWS.forEach(r -> counts[(int) r.getDouble(1)] += weighted ? r.getDouble(2) : 1);
    double total = counts[0] + counts[1] + counts[2];
    double[] formula = new double[3];
    for (int c = 0; c < 3; c++) {
      formula[c] = total / (3 * counts[c]);
    }
    assertTrue(formula[2] > 1.5 * formula[0], "class 2 is the rare one: " + formula[2]);
    String weightCol = weighted ? "weight" : "";
    Map<String, float[]> balanced =
        estimator()
            .setWeightCol(weightCol)
            .setBalancedClassWeights(true)
            .fit(SparkTestSession.frame(ROWS, 4))
            .weightArrays();
    Map<String, float[]> explicit =
        estimator()
            .setWeightCol(weightCol)
            .setClassWeights(formula)
            .fit(SparkTestSession.ordered(ROWS, 1))
            .weightArrays();
    Map<String, float[]> plain =
        estimator().setWeightCol(weightCol).fit(SparkTestSession.ordered(ROWS, 1)).weightArrays();
    assertSameWeights(explicit, balanced);
    assertFalse(Arrays.equals(plain.get("0.weight"), balanced.get("0.weight")));
  }

  @Test
  void badClassWeightsSayWhatToFix() {
    Dataset<Row> df = SparkTestSession.ordered(ROWS, 1);
    String length =
        assertThrows(
                InvalidInputException.class,
                () -> estimator().setClassWeights(new double[] {1, 2}).fit(df))
            .getMessage();
    assertEquals(
        "Param classWeights does not fit: loss cross_entropy has 3 classes (the output size) but"
            + " 2 class weights were given; give one weight per class.",
        length);
    String zero =
        assertThrows(
                InvalidInputException.class,
                () -> estimator().setClassWeights(new double[] {1, 0, 2}).fit(df))
            .getMessage();
    assertEquals(
        "Param classWeights is invalid: class weight 1 is 0.0; every class weight must be finite"
            + " and > 0; fix the weights.",
        zero);
    String both =
        assertThrows(
                InvalidInputException.class,
                () ->
                    estimator()
                        .setClassWeights(new double[] {1, 1, 2})
                        .setBalancedClassWeights(true)
                        .fit(df))
            .getMessage();
    assertTrue(both.startsWith("Params classWeights and balancedClassWeights are both set"), both);
    String mse =
        assertThrows(
                InvalidInputException.class,
                () ->
                    estimator()
                        .setLayers(new int[] {4, 8, 1})
                        .setLoss("mse")
                        .setBalancedClassWeights(true)
                        .fit(df))
            .getMessage();
    assertEquals(
        "Param balancedClassWeights does not fit: class weights apply to the classifiers (bce,"
            + " cross_entropy), not to mse; unset it, or use weightCol for sample weights.",
        mse);
  }
}
