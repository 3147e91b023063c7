package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weightDecay left unset is PyTorch's default for the optimizer: 0.01 for adamw (as {@code
 * torch.optim.AdamW(params, lr)}; the engine's golden test checks that trajectory), 0 for sgd and
 * adam. A value set wins, 0 included.
 */
class WeightDecayDefaultTest {
  @TempDir Path tmp;

  /** TrainingOptionsTest's small fit with another optimizer. */
  static MLPEstimator estimator(String optimizer) {
    return TrainingOptionsTest.base().setOptimizer(optimizer);
  }

  static Dataset<Row> data() {
    return TrainingOptionsTest.data();
  }

  @Test
  void unsetResolvesByOptimizerAndAValueSetWins() {
    assertEquals(0.01, estimator("adamw").getWeightDecay());
    assertEquals(0.0, estimator("adam").getWeightDecay());
    assertEquals(0.0, estimator("sgd").getWeightDecay());
    assertEquals(0.0, estimator("adamw").setWeightDecay(0).getWeightDecay());
    assertEquals(0.25, estimator("adamw").setWeightDecay(0.25).getWeightDecay());
    assertEquals(0.25, estimator("sgd").setWeightDecay(0.25).getWeightDecay());
    MLPEstimator unset = estimator("adamw");
    assertFalse(unset.isDefined(unset.weightDecay()), "no default: it depends on the optimizer");
    assertEquals(0.01, unset.settings().optimizer().weightDecay(), "what the fit trains with");
    assertEquals(0.0, estimator("adam").settings().optimizer().weightDecay());
  }

  @Test
  void anAdamwFitWithWeightDecayUnsetEqualsOneWithPointZeroOneAndDiffersFromZero() {
    MLPModel unset = estimator("adamw").fit(data());
    MLPModel pointZeroOne = estimator("adamw").setWeightDecay(0.01).fit(data());
    MLPModel zero = estimator("adamw").setWeightDecay(0).fit(data());

    ClusterParityTest.assertSameBits(pointZeroOne.weightArrays(), unset.weightArrays());
    float[] decayed = unset.weightArrays().get("0.weight");
    float[] undecayed = zero.weightArrays().get("0.weight");
    int differing = 0;
    for (int i = 0; i < decayed.length; i++) {
      differing += Math.abs(decayed[i] - undecayed[i]) > 1e-6 ? 1 : 0;
    }
    assertTrue(differing > decayed.length / 2, differing + " of " + decayed.length + " differ");
  }

  @Test
  void sgdWithWeightDecayUnsetEqualsZero() {
    ClusterParityTest.assertSameBits(
        estimator("sgd").setWeightDecay(0).fit(data()).weightArrays(),
        estimator("sgd").fit(data()).weightArrays());
  }

  @Test
  void aSavedEstimatorKeepsWeightDecayUnset() throws Exception {
    String path = tmp.resolve("adamw").toString();
    estimator("adamw").write().save(path);

    MLPEstimator loaded = MLPEstimator.load(path);

    assertFalse(loaded.isDefined(loaded.weightDecay()));
    assertEquals(0.01, loaded.getWeightDecay());
    assertEquals(0.0, loaded.setOptimizer("adam").getWeightDecay());
  }
}
