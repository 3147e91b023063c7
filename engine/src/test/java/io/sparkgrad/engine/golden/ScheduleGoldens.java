package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.optim.Adam;
import io.sparkgrad.engine.optim.AdamW;
import io.sparkgrad.engine.optim.CosineAnnealingLR;
import io.sparkgrad.engine.optim.ExponentialLR;
import io.sparkgrad.engine.optim.LRScheduler;
import io.sparkgrad.engine.optim.LinearLR;
import io.sparkgrad.engine.optim.Optimizer;
import io.sparkgrad.engine.optim.SGD;
import io.sparkgrad.engine.optim.StepLR;
import io.sparkgrad.engine.train.ScheduleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads {@code golden/lr_schedules.json} (written by {@code generate_schedule_goldens.py}) and
 * builds its schedulers and optimizers the way the script does.
 */
final class ScheduleGoldens {
  private ScheduleGoldens() {}

  static JsonNode load() {
    try (InputStream in = ScheduleGoldens.class.getResourceAsStream("/golden/lr_schedules.json")) {
      assertNotNull(in, "missing golden/lr_schedules.json; run generate_schedule_goldens.py");
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The scheduler of a golden entry for a fit of {@code epochs} epochs. The "sequential_*" kinds
   * are built by {@link ScheduleSpec}, as the estimator builds a warm-up.
   */
  static LRScheduler scheduler(Optimizer opt, String kind, JsonNode a, int epochs) {
    if (kind.startsWith("sequential_")) {
      String name = kind.substring("sequential_".length());
      ScheduleSpec spec =
          new ScheduleSpec(
              name,
              a.path("step_size").asInt(0),
              a.path("gamma").asDouble(0),
              a.path("eta_min").asDouble(0),
              a.get("warmup").asInt());
      return spec.create(opt, epochs);
    }
    return switch (kind) {
      case "step" -> new StepLR(opt, a.get("step_size").asInt(), a.get("gamma").asDouble());
      case "exponential" -> new ExponentialLR(opt, a.get("gamma").asDouble());
      case "cosine" ->
          new CosineAnnealingLR(opt, a.get("T_max").asInt(), a.get("eta_min").asDouble());
      case "linear" ->
          new LinearLR(
              opt,
              a.get("start_factor").asDouble(),
              a.get("end_factor").asDouble(),
              a.get("total_iters").asInt());
      default -> throw new IllegalArgumentException("no scheduler kind " + kind);
    };
  }

  /** The script's optimizers: SGD with momentum 0.9, Adam and AdamW with PyTorch's defaults. */
  static Optimizer optimizer(String name, List<Tensor> params, double lr) {
    return switch (name) {
      case "sgd" -> new SGD(params, lr).momentum(0.9);
      case "adam" -> new Adam(params, lr);
      case "adamw" -> new AdamW(params, lr);
      default -> throw new IllegalArgumentException("no optimizer " + name);
    };
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }
}
