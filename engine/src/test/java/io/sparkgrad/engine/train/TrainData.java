package io.sparkgrad.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small seeded data sets for the training tests: 3 classes over 4 features, as packed rows. */
final class TrainData {
  private TrainData() {}

  static final MlpSpec SPEC = new MlpSpec(new int[] {4, 6, 3}, "tanh", "cross_entropy");

  /** {@code n} rows of 4 features and a class index, optionally a weight in [0.5, 2). */
  static float[][] rows(int n, long seed, boolean weighted) {
    Random r = new Random(seed);
    float[][] out = new float[n][weighted ? 6 : 5];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        out[i][j] = (float) r.nextGaussian();
      }
      out[i][4] = out[i][0] + out[i][1] > 0.5f ? 2 : out[i][2] > 0 ? 1 : 0;
      if (weighted) {
        out[i][5] = 0.5f + 1.5f * r.nextFloat();
      }
    }
    return out;
  }

  /** The rows in the given order, unsorted (keys are their positions). */
  static RowBlocks inOrder(float[][] rows, boolean weighted) {
    RowBlocksBuilder b = new RowBlocksBuilder(4, 1, weighted);
    List<float[]> list = new ArrayList<>(List.of(rows));
    for (int i = 0; i < list.size(); i++) {
      b.add(list.get(i), i);
    }
    return b.build();
  }

  /** The rows dealt to {@code workers} by their content keys, as Spark's packing deals them. */
  static List<RowBlocks> dealt(float[][] rows, long seed, int workers, boolean weighted) {
    return RowBlocksBuilder.deal(List.of(rows), seed, workers, 4, 1, weighted);
  }

  static TrainSettings settings(String optimizer, int batchSize, int epochs, boolean gradients) {
    return new TrainSettings(
        SPEC,
        new OptimizerSpec(optimizer, 0.05, optimizer.equals("sgd") ? 0.5 : 0, false, 0),
        batchSize,
        epochs,
        true,
        7,
        0,
        gradients,
        false,
        0,
        0);
  }

  /** Batch 8, seed 7, no worker scaling, the given optimizer, epochs, sync mode and interval. */
  static TrainSettings settings(OptimizerSpec opt, int epochs, boolean gradients, int sync) {
    return new TrainSettings(SPEC, opt, 8, epochs, true, 7, sync, gradients, false, 0, 0);
  }

  static TrainState init(TrainSettings s) {
    var w = new java.util.LinkedHashMap<String, float[]>();
    s.spec()
        .build(new io.sparkgrad.engine.Generator(s.seed()))
        .namedParameters()
        .forEach((k, v) -> w.put(k, v.data()));
    return new TrainState(w, new java.util.LinkedHashMap<>());
  }
}
