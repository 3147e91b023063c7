package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.io.IdxReader;
import io.sparkgrad.engine.io.MnistFiles;
import io.sparkgrad.engine.train.DataParallelFit;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.FitResult;
import io.sparkgrad.engine.train.LocalWorkers;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowBlocksBuilder;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import io.sparkgrad.engine.train.WorkerTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Statistical efficiency of data-parallel training: the MNIST recipe (784-512-256-128-64-10, ReLU,
 * SGD 0.01 momentum 0.5, batch 64, seed 1) on N workers, run one after another in this process with
 * the engine's own worker and combining code (what a Spark fit with numWorkers=N computes, rows
 * dealt by the same content keys), printing test accuracy after every epoch.
 *
 * <pre>
 * bin/sparkgrad-example bench.WorkersBenchmark [DATA_DIR|-] [EPOCHS=10] [WORKERS=1,2,4,8,16,32]
 *     [SYNC_INTERVAL=0] [SCALE_LEARNING_RATE=true]
 * </pre>
 */
public final class WorkersBenchmark {
  private WorkersBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Path dir = MnistFiles.locate(argv.length > 0 && !argv[0].equals("-") ? argv[0] : null);
    int epochs = argv.length > 1 ? Integer.parseInt(argv[1]) : 10;
    String workerCounts = argv.length > 2 ? argv[2] : "1,2,4,8,16,32";
    int sync = argv.length > 3 ? Integer.parseInt(argv[3]) : 0;
    boolean scale = argv.length <= 4 || Boolean.parseBoolean(argv[4]);
    long seed = 1;
    float[][] train = rows(dir, "train");
    RowBlocks test = pack(rows(dir, "t10k"), seed, 1).get(0);
    for (String n : workerCounts.split(",")) {
      int workers = Integer.parseInt(n.strip());
      TrainSettings s =
          new TrainSettings(
              new MlpSpec(new int[] {784, 512, 256, 128, 64, 10}, "relu", "cross_entropy"),
              new OptimizerSpec("sgd", 0.01, 0.5, false, 0),
              64,
              epochs,
              true,
              seed,
              sync,
              false,
              scale,
              0,
              0);
      List<RowBlocks> parts = pack(train, seed, workers);
      List<RowBlocks> none = parts.stream().map(p -> pack(new float[0][], seed, 1).get(0)).toList();
      long t0 = System.nanoTime();
      FitResult r =
          new DataParallelFit(
                  s,
                  new LocalWorkers(s, parts, none),
                  null,
                  new DataParallelFit.Progress() {
                    @Override
                    public void epochDone(EpochStats e) {}
                  })
              .run(init(s));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double acc = WorkerTasks.evaluate(s, test, r.state()).finish(s.spec().loss()).metric();
      System.out.printf(
          "workers %3d  sync every %4d steps  lr %.3f  test accuracy %.2f%%  %.1f s  loss %s%n",
          workers,
          r.syncInterval(),
          r.learningRate(),
          100 * acc,
          seconds,
          r.epochs().stream().map(e -> String.format("%.4f", e.trainLoss())).toList());
    }
  }

  private static TrainState init(TrainSettings s) {
    LinkedHashMap<String, float[]> w = new LinkedHashMap<>();
    s.spec().build(new Generator(s.seed())).namedParameters().forEach((k, v) -> w.put(k, v.data()));
    return new TrainState(w, new LinkedHashMap<>());
  }

  /** Rows of 784 normalised pixels and the label, as the Spark reader and packer make them. */
  static float[][] rows(Path dir, String split) {
    float[] x = IdxReader.images(file(dir, split + "-images-idx3-ubyte"));
    float[] y = IdxReader.labels(file(dir, split + "-labels-idx1-ubyte"));
    float[][] out = new float[y.length][785];
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < 784; j++) {
        out[i][j] = (float) ((x[i * 784 + j] / 255.0 - 0.1307) / 0.3081);
      }
      out[i][784] = y[i];
    }
    return out;
  }

  /** The rows dealt to {@code workers} workers by their content keys, as Spark's packing does. */
  static List<RowBlocks> pack(float[][] rows, long seed, int workers) {
    return RowBlocksBuilder.deal(List.of(rows), seed, workers, 784, 1, false);
  }

  private static Path file(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    return Files.exists(gz) ? gz : dir.resolve(name);
  }
}
