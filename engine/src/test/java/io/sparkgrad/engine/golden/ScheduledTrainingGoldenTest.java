package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.nn.ClipGrad;
import io.sparkgrad.engine.nn.CrossEntropyLoss;
import io.sparkgrad.engine.nn.Linear;
import io.sparkgrad.engine.nn.Sequential;
import io.sparkgrad.engine.nn.Tanh;
import io.sparkgrad.engine.optim.LRScheduler;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.train.DataParallelFit;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.FitResult;
import io.sparkgrad.engine.train.LocalWorkers;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowBlocksBuilder;
import io.sparkgrad.engine.train.ScheduleSpec;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MLP 5-8-3 (tanh, cross-entropy), 10 epochs of 3 fixed batches: 30 optimizer steps under a
 * learning-rate schedule, with and without gradient clipping, against PyTorch's losses and final
 * weights; once with the engine's schedulers in PyTorch's loop, once through the fit's epoch loop.
 */
class ScheduledTrainingGoldenTest {
  static final double RTOL = 1e-5;

  /** As in {@link SmallNetGoldenTest}: entries near zero carry their tensor's absolute error. */
  static final double FLOOR = 1e-2;

  private static final Goldens.Report REPORT = new Goldens.Report("scheduled training goldens");
  private static JsonNode training;
  private static Map<String, Tensor> init;
  private static Tensor[][] batches;

  @BeforeAll
  static void load() {
    training = ScheduleGoldens.load().get("training");
    init = new LinkedHashMap<>();
    training
        .get("init")
        .properties()
        .forEach(
            f -> {
              JsonNode shape = f.getValue().get("shape");
              int[] dims = new int[shape.size()];
              for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).asInt();
              }
              init.put(
                  f.getKey(), Tensor.of(ScheduleGoldens.floats(f.getValue().get("data")), dims));
            });
    int batch = training.get("batch").asInt();
    Tensor x = Tensor.of(ScheduleGoldens.floats(training.get("x")), training.get("y").size(), 5);
    Tensor y = Tensor.of(ScheduleGoldens.floats(training.get("y")), training.get("y").size());
    batches = Trajectories.zip(Trajectories.split(x, batch), Trajectories.split(y, batch));
  }

  static List<JsonNode> runs() {
    return StreamSupport.stream(
            ScheduleGoldens.load().get("training").get("runs").spliterator(), false)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void thirtyStepsMatchPyTorch(JsonNode run) {
    String name = run.get("name").asText();
    Sequential model =
        new Sequential(
            new Linear(5, 8, new Generator(0)), new Tanh(), new Linear(8, 3, new Generator(0)));
    model.loadStateDict(init);
    Optimizer opt =
        ScheduleGoldens.optimizer(
            run.get("optimizer").asText(), model.parameters(), run.get("lr").asDouble());
    int epochs = training.get("epochs").asInt();
    LRScheduler scheduler =
        ScheduleGoldens.scheduler(opt, run.get("kind").asText(), run.get("args"), epochs);
    double maxNorm = run.get("max_norm").asDouble();
    CrossEntropyLoss criterion = new CrossEntropyLoss();
    float[] losses = new float[epochs * batches.length];
    int clipped = 0;
    for (int e = 0; e < epochs; e++) {
      for (int b = 0; b < batches.length; b++) {
        opt.zeroGrad();
        Tensor loss = criterion.apply(model.forward(batches[b][0]), batches[b][1]);
        loss.backward();
        if (maxNorm > 0) {
          double total = ClipGrad.clipGradNorm(model.parameters(), maxNorm);
          clipped += maxNorm / (total + 1e-6) < 1 ? 1 : 0;
        }
        opt.step();
        losses[e * batches.length + b] = loss.item();
      }
      scheduler.step();
    }
    assertEquals(run.get("clipped_steps").asInt(), clipped, name + ": steps clipped");
    compare(name, run, losses, model.namedParameters());
  }

  /**
   * The same runs through DataParallelFit with one worker, its schedule and clipping: on the worker
   * (average_weights) and on the driver's step from the worker's gradient (average_gradients).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void oneWorkerFitMatchesPyTorch(JsonNode run) {
    for (boolean averageGradients : new boolean[] {false, true}) {
      fitOneWorker(run, averageGradients);
    }
  }

  private static void fitOneWorker(JsonNode run, boolean averageGradients) {
    String name = run.get("name").asText() + (averageGradients ? " average_gradients" : "");
    String kind = run.get("kind").asText();
    JsonNode a = run.get("args");
    int epochs = training.get("epochs").asInt();
    boolean warmup = kind.startsWith("sequential_");
    ScheduleSpec schedule =
        new ScheduleSpec(
            warmup ? kind.substring("sequential_".length()) : kind,
            a.path("step_size").asInt(0),
            a.path("gamma").asDouble(0),
            a.path("eta_min").asDouble(0),
            a.path("warmup").asInt(0));
    String optimizer = run.get("optimizer").asText();
    double lr = run.get("lr").asDouble();
    double weightDecay = optimizer.equals("adamw") ? 0.01 : 0; // PyTorch's AdamW default
    TrainSettings s =
        new TrainSettings(
            new MlpSpec(new int[] {5, 8, 3}, "tanh", "cross_entropy"),
            new OptimizerSpec(optimizer, lr, optimizer.equals("sgd") ? 0.9 : 0, false, weightDecay),
            training.get("batch").asInt(),
            epochs,
            false,
            0,
            0,
            averageGradients,
            false,
            0,
            0,
            schedule,
            run.get("max_norm").asDouble(),
            0,
            null);
    RowBlocksBuilder rows = new RowBlocksBuilder(5, 1, false);
    long key = 0;
    for (Tensor[] batch : batches) {
      for (int r = 0; r < batch[1].numel(); r++) {
        float[] row = new float[6];
        System.arraycopy(batch[0].data(), r * 5, row, 0, 5);
        row[5] = batch[1].data()[r];
        rows.add(row, key++); // in order: the keys are the positions
      }
    }
    List<RowBlocks> train = List.of(rows.build());
    LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
    init.forEach((k, v) -> weights.put(k, v.data().clone()));
    FitResult fit =
        new DataParallelFit(
                s, new LocalWorkers(s, train, List.of()), null, new DataParallelFit.Progress() {})
            .run(new TrainState(weights, new LinkedHashMap<>()));
    double[] rates = schedule.rates(lr, epochs);
    for (EpochStats e : fit.epochs()) {
      assertEquals(
          rates[e.epoch() - 1], e.learningRate(), 0, name + ": epoch " + e.epoch() + " lr");
    }
    Map<String, Tensor> finals = new LinkedHashMap<>();
    fit.state().weights().forEach((k, v) -> finals.put(k, Tensor.of(v, init.get(k).shape())));
    compare(name + " (fit)", run, null, finals);
  }

  private static void compare(
      String name, JsonNode run, float[] losses, Map<String, Tensor> weights) {
    if (losses != null) {
      REPORT.add(
          name + " losses",
          Goldens.assertClose(
              name + " step losses", ScheduleGoldens.floats(run.get("losses")), losses, RTOL, 0));
    }
    double worst = 0;
    for (Map.Entry<String, Tensor> p : weights.entrySet()) {
      float[] expected = ScheduleGoldens.floats(run.get("final").get(p.getKey()));
      worst =
          Math.max(
              worst,
              Goldens.assertClose(
                  name + " final " + p.getKey(),
                  expected,
                  p.getValue().data(),
                  RTOL,
                  FLOOR * Goldens.maxAbs(expected)));
    }
    REPORT.add(name + " weights", worst);
  }

  @AfterAll
  static void report() {
    REPORT.print();
  }
}
