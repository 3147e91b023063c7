package io.sparkgrad.engine.bench;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.blas.Blas;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.train.LocalTrainer;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.PackedData;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (forward, backward, SGD momentum update) against the same step's GEMMs alone,
 * for the MNIST MLP at batch 64 and the tutorial's diabetes net at batch 32; fixed seeds. Run
 * (OPENBLAS_NUM_THREADS=1; add -jvmArgsAppend -Dsparkgrad.blas=java for the Java backend):
 *
 * <pre>
 * mvn -q -B -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/cp.txt) \
 *   org.openjdk.jmh.Main StepJmh
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class StepJmh {
  @Param({"mnist", "diabetes"})
  public String net;

  private LocalTrainer trainer;
  private Batch batch;
  private int[] layers;
  private int batchSize;
  private float[][] buffers;

  @Setup
  public void setUp() {
    boolean mnist = net.equals("mnist");
    layers = mnist ? new int[] {784, 512, 256, 128, 64, 10} : new int[] {8, 6, 4, 1};
    batchSize = mnist ? 64 : 32;
    MlpSpec spec = new MlpSpec(layers, mnist ? "relu" : "sigmoid", mnist ? "cross_entropy" : "bce");
    int rows = batchSize * 4;
    Generator g = new Generator(7);
    float[] x = new float[rows * layers[0]];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = g.uniform(-1, 1);
    }
    for (int i = 0; i < rows; i++) {
      y[i] = g.nextInt(mnist ? 10 : 2);
    }
    trainer =
        new LocalTrainer(
            spec,
            new OptimizerSpec("sgd", 0.01, 0.5, false, 0),
            0.01,
            new PackedData(rows, layers[0], 1, x, y, null),
            batchSize,
            true,
            1,
            new Generator(1));
    batch = trainer.batch(0, 0);
    buffers = new float[5 * layers.length][];
    for (int l = 0; l + 1 < layers.length; l++) {
      buffers[5 * l] = new float[batchSize * layers[l]];
      buffers[5 * l + 1] = new float[layers[l + 1] * layers[l]];
      buffers[5 * l + 2] = new float[batchSize * layers[l + 1]];
      buffers[5 * l + 3] = new float[batchSize * layers[l]];
      buffers[5 * l + 4] = new float[layers[l + 1] * layers[l]];
    }
    System.out.println("BLAS backend: " + Blas.backend());
  }

  @Benchmark
  public float step() {
    return trainer.step(batch);
  }

  /** The GEMMs of one step: forward, input gradient (not for layer 0), weight gradient. */
  @Benchmark
  public float[] gemmsOnly() {
    for (int l = 0; l + 1 < layers.length; l++) {
      int in = layers[l];
      int out = layers[l + 1];
      float[] x = buffers[5 * l];
      float[] w = buffers[5 * l + 1];
      float[] y = buffers[5 * l + 2];
      Blas.gemm(false, true, batchSize, out, in, 1f, x, 0, w, 0, 0f, y, 0);
      if (l > 0) {
        Blas.gemm(false, false, batchSize, in, out, 1f, y, 0, w, 0, 0f, buffers[5 * l + 3], 0);
      }
      Blas.gemm(true, false, out, in, batchSize, 1f, y, 0, x, 0, 0f, buffers[5 * l + 4], 0);
    }
    return buffers[0];
  }
}
