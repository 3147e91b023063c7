package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.optim.LRScheduler;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import io.sparkgrad.engine.train.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheduler's rate per epoch against PyTorch's, stepped as PyTorch's loop steps them (train
 * the epoch, then {@code scheduler.step()}); the warm-up sequences through {@link ScheduleSpec}.
 */
class LRSchedulerGoldenTest {
  /** The rates are float64 on both sides; only libm's cos may differ in the last bit. */
  static final double RTOL = 1e-14;

  static List<JsonNode> schedules() {
    return StreamSupport.stream(ScheduleGoldens.load().get("schedules").spliterator(), false)
        .toList();
  }

  /** The warm-up entries: SequentialLR of LinearLR and a schedule, as ScheduleSpec builds it. */
  static List<JsonNode> warmups() {
    return schedules().stream()
        .filter(g -> g.get("kind").asText().startsWith("sequential_"))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void ratePerEpochMatchesPyTorch(JsonNode golden) {
    String kind = golden.get("kind").asText();
    JsonNode expected = golden.get("rates");
    int epochs = expected.size();
    double lr = golden.get("lr").asDouble();
    Optimizer opt = new SGD(List.of(Tensor.zeros(1)), lr);
    LRScheduler scheduler = ScheduleGoldens.scheduler(opt, kind, golden.get("args"), epochs);
    List<Double> actual = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      actual.add(opt.learningRate());
      assertEquals(opt.learningRate(), scheduler.getLastLr(), kind + " last lr");
      scheduler.step();
    }
    for (int e = 0; e < epochs; e++) {
      double want = expected.get(e).asDouble();
      assertEquals(want, actual.get(e), RTOL * want, kind + " epoch " + e + " of " + actual);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warmups")
  void scheduleSpecRatesMatchPyTorch(JsonNode golden) {
    String kind = golden.get("kind").asText();
    JsonNode a = golden.get("args");
    int epochs = golden.get("rates").size();
    ScheduleSpec spec =
        new ScheduleSpec(
            kind.substring("sequential_".length()),
            a.path("step_size").asInt(0),
            a.path("gamma").asDouble(0),
            a.path("eta_min").asDouble(0),
            a.get("warmup").asInt());
    double[] rates = spec.rates(golden.get("lr").asDouble(), epochs);
    for (int e = 0; e < epochs; e++) {
      double want = golden.get("rates").get(e).asDouble();
      assertEquals(want, rates[e], RTOL * want, kind + " epoch " + e);
    }
  }
}
