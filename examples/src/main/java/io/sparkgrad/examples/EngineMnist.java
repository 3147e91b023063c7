package io.sparkgrad.examples;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.GradMode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.blas.Blas;
import io.sparkgrad.engine.data.Batch;
import io.sparkgrad.engine.data.DataLoader;
import io.sparkgrad.engine.data.TensorDataset;
import io.sparkgrad.engine.io.IdxReader;
import io.sparkgrad.engine.io.MnistFiles;
import io.sparkgrad.engine.io.SafeTensors;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.ReLU;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The tutorial's MNIST program on the engine alone, no Spark: the same four steps as PyTorch's, one
 * thread. Prints loss, test accuracy and seconds per epoch; saves a safetensors state dict that
 * {@code safetensors.torch.load_file} reads into the same torch.nn.Sequential.
 */
public final class EngineMnist {
  private EngineMnist() {}

  /** What one epoch did: mean training loss, test accuracy, seconds of training. */
  public record Epoch(int epoch, double loss, double accuracy, double seconds) {}

  public static void main(String[] argv) throws Exception {
    ExampleArgs args = new ExampleArgs(argv, Set.of("data", "epochs", "seed", "output"));
    Path dir = MnistFiles.locate(args.get("data", null));
    System.out.println("BLAS backend " + Blas.backend());
    Sequential model =
        train(
            dir,
            args.getInt("epochs", 10),
            args.getInt("seed", 1),
            e ->
                System.out.printf(
                    "epoch %2d  loss %.4f  test accuracy %.2f%%  %.2f s%n",
                    e.epoch(), e.loss(), 100 * e.accuracy(), e.seconds()));
    Path out = Path.of(args.get("output", "models/engine-mnist.safetensors"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    SafeTensors.save(model.stateDict(), out);
    System.out.println("Saved " + out);
  }

  /** The tutorial's four steps on MNIST from {@code dir}; reports each epoch to {@code report}. */
  public static Sequential train(Path dir, int epochs, int seed, Consumer<Epoch> report) {
    Generator.manualSeed(seed);
    // 1. Data: pixels scaled to [0, 1], normalised with the tutorial's mean and std.
    TensorDataset train = dataset(dir, "train");
    TensorDataset test = dataset(dir, "t10k");
    DataLoader loader = new DataLoader(train, 64, true, seed);
    // 2. Model.
    Sequential model =
        new Sequential(
            new Linear(784, 512),
            new ReLU(),
            new Linear(512, 256),
            new ReLU(),
            new Linear(256, 128),
            new ReLU(),
            new Linear(128, 64),
            new ReLU(),
            new Linear(64, 10));
    // 3. Loss and optimizer.
    CrossEntropyLoss criterion = new CrossEntropyLoss();
    SGD optimizer = new SGD(model.parameters(), 0.01).momentum(0.5);
    // 4. Training loop.
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long t0 = System.nanoTime();
      double lossSum = 0;
      int batches = 0;
      for (Batch b : loader) {
        Tensor loss = criterion.apply(model.forward(b.inputs()), b.targets());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        lossSum += loss.item();
        batches++;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      report.accept(new Epoch(epoch, lossSum / batches, accuracy(model, test), seconds));
    }
    return model;
  }

  static TensorDataset dataset(Path dir, String split) {
    float[] x = IdxReader.images(MnistFiles.file(dir, split + "-images-idx3-ubyte"));
    float[] y = IdxReader.labels(MnistFiles.file(dir, split + "-labels-idx1-ubyte"));
    for (int i = 0; i < x.length; i++) {
      x[i] = (x[i] / 255f - 0.1307f) / 0.3081f;
    }
    return new TensorDataset(Tensor.of(x, y.length, 784), Tensor.of(y, y.length));
  }

  static double accuracy(Sequential model, TensorDataset test) {
    int correct = 0;
    try (GradMode.Scope s = GradMode.noGrad()) {
      for (Batch b : new DataLoader(test, 1000, false, 0)) {
        float[] out = model.forward(b.inputs()).data();
        for (int r = 0; r < b.size(); r++) {
          int best = 0;
          for (int j = 1; j < 10; j++) {
            best = out[r * 10 + j] > out[r * 10 + best] ? j : best;
          }
          correct += best == (int) b.targets().data()[r] ? 1 : 0;
        }
      }
    }
    return correct / (double) test.size();
  }
}
