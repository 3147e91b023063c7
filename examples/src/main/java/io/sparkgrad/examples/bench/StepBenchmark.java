package io.sparkgrad.examples.bench;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.blas.Blas;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.PackedData;

/**
 * Times one training step (forward, backward, SGD update) against the GEMMs alone, for the MNIST
 * MLP at batch 64 and for the tutorial's tiny diabetes net. Prints ms per step, GFLOP/s and the
 * engine's overhead over BLAS. Run with -Dsparkgrad.blas=java for the Java fallback.
 *
 * <pre>
 * bin/sparkgrad-example bench.StepBenchmark [SECONDS=5] [LAYERS [LOSS=bce] [BATCH=64]]
 * </pre>
 *
 * With LAYERS (e.g. {@code 100,64,1}) it times that ReLU net alone.
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  public static void main(String[] args) {
    System.out.println("BLAS backend: " + Blas.backend());
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    if (args.length > 1) {
      // Any net: SECONDS LAYERS [LOSS=bce] [BATCH=64], e.g. 5 100,64,1 bce 64.
      int[] layers =
          java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
      String loss = args.length > 2 ? args[2] : "bce";
      int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
      report(
          args[1].replace(',', '-') + " relu " + loss + ", batch " + batch,
          layers,
          "relu",
          loss,
          batch,
          seconds);
      return;
    }
    report(
        "MNIST 784-512-256-128-64-10 relu, batch 64",
        new int[] {784, 512, 256, 128, 64, 10},
        "relu",
        "cross_entropy",
        64,
        seconds);
    report(
        "diabetes 8-6-4-1 sigmoid, batch 32",
        new int[] {8, 6, 4, 1},
        "sigmoid",
        "bce",
        32,
        seconds);
  }

  static void report(String name, int[] layers, String act, String loss, int batch, int seconds) {
    LocalTrainer t =
        trainerOnRandomRows(
            new MlpSpec(layers, act, loss),
            new OptimizerSpec("sgd", 0.01, 0.5, false, 0),
            batch * 64,
            batch);
    Batch b = t.batch(0, 0);
    double stepMs = timeMs(() -> t.step(b), seconds);
    double gemmMs = timeMs(() -> gemmsOfOneStep(layers, batch), seconds);
    double flops = flopsPerStep(layers, batch);
    System.out.printf(
        "%s: step %.4f ms, GEMMs alone %.4f ms (%.1f GFLOP/s), step at %.1f GFLOP/s,"
            + " overhead %.2fx BLAS%n",
        name, stepMs, gemmMs, flops / gemmMs / 1e6, flops / stepMs / 1e6, stepMs / gemmMs);
  }

  /**
   * A trainer over {@code rows} seeded random rows (labels valid for the spec's loss) in batches of
   * {@code batch}, whose first batch times one step; shared by the benchmarks that time steps.
   */
  static LocalTrainer trainerOnRandomRows(
      MlpSpec spec, OptimizerSpec optimizer, int rows, int batch) {
    int[] layers = spec.layers();
    Generator g = new Generator(7);
    float[] x = new float[rows * layers[0]];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = g.uniform(-1, 1);
    }
    boolean binary = spec.loss() == LossKind.BCE;
    for (int i = 0; i < rows; i++) {
      y[i] = binary ? g.nextInt(2) : g.nextInt(layers[layers.length - 1]);
    }
    return new LocalTrainer(
        spec,
        optimizer,
        optimizer.learningRate(),
        new PackedData(rows, layers[0], 1, x, y, null),
        batch,
        true,
        1,
        new Generator(1));
  }

  /** The GEMMs a step makes: forward, input gradient (not for the first layer), weight gradient. */
  static void gemmsOfOneStep(int[] layers, int batch) {
    for (int l = 0; l + 1 < layers.length; l++) {
      int in = layers[l];
      int out = layers[l + 1];
      float[] xs = BUFFERS.get(batch * in);
      float[] w = BUFFERS.get(out * in + 1);
      float[] ys = BUFFERS.get(batch * out + 2);
      Blas.gemm(false, true, batch, out, in, 1f, xs, 0, w, 0, 0f, ys, 0);
      if (l > 0) {
        Blas.gemm(
            false, false, batch, in, out, 1f, ys, 0, w, 0, 0f, BUFFERS.get(batch * in + 3), 0);
      }
      Blas.gemm(true, false, out, in, batch, 1f, ys, 0, xs, 0, 0f, BUFFERS.get(out * in + 4), 0);
    }
  }

  static double flopsPerStep(int[] layers, int batch) {
    double f = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      double mnk = 2.0 * batch * layers[l] * layers[l + 1];
      f += mnk * (l > 0 ? 3 : 2);
    }
    return f;
  }

  /** Buffers keyed by size (plus a tag), reused so the GEMM timing measures no allocation. */
  private static final java.util.Map<Integer, float[]> CACHE = new java.util.HashMap<>();

  private static final class Buffers {
    float[] get(int key) {
      return CACHE.computeIfAbsent(key, k -> new float[k]);
    }
  }

  private static final Buffers BUFFERS = new Buffers();

  static double timeMs(Runnable r, int seconds) {
    long end = System.nanoTime() + seconds * 500_000_000L;
    while (System.nanoTime() < end) {
      r.run();
    }
    long n = 0;
    long t0 = System.nanoTime();
    end = t0 + seconds * 1_000_000_000L;
    long now;
    do {
      r.run();
      n++;
      now = System.nanoTime();
    } while (now < end);
    return (now - t0) / 1e6 / n;
  }
}
