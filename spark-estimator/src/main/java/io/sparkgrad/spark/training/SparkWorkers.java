package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.EvalSum;
import io.sparkgrad.engine.train.RoundSpec;
import io.sparkgrad.engine.train.StateSum;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import io.sparkgrad.engine.train.WorkerTasks;
import io.sparkgrad.engine.train.Workers;
import io.sparkgrad.spark.JavaSerialized;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The workers as Spark tasks, one per cached partition of packed rows: each call broadcasts the
 * state, every task runs the engine's worker code on its rows, and the results are combined by
 * {@link TreeCombine}. Spark only moves bytes here; the arithmetic is the engine's.
 */
final class SparkWorkers implements Workers {
  private final JavaSparkContext sc;
  private final JavaRDD<WorkerData> data;
  private final TrainSettings s;
  private final long[] rows;
  private final boolean hasValidation;

  SparkWorkers(JavaSparkContext sc, PackedInput input, TrainSettings s) {
    this.sc = sc;
    this.data = input.workers();
    this.s = s;
    this.rows = java.util.Arrays.stream(input.trainRows()).asLongStream().toArray();
    this.hasValidation = input.validationRowCount() > 0;
  }

  @Override
  public int count() {
    return rows.length;
  }

  @Override
  public long[] trainRows() {
    return rows.clone();
  }

  @Override
  public boolean hasValidation() {
    return hasValidation;
  }

  @Override
  public StateSum round(TrainState from, RoundSpec round) {
    TrainSettings settings = s;
    return run(from, (w, st) -> WorkerTasks.round(settings, w.worker(), w.train(), st, round));
  }

  @Override
  public StateSum gradients(TrainState at, RoundSpec step) {
    TrainSettings settings = s;
    return run(at, (w, st) -> WorkerTasks.gradients(settings, w.worker(), w.train(), st, step));
  }

  private StateSum run(TrainState state, Function2<WorkerData, TrainState, StateSum> task) {
    return run(state, task, StateSum::merge);
  }

  @Override
  public EvalSum evaluate(TrainState at) {
    TrainSettings settings = s;
    return run(at, (w, st) -> WorkerTasks.evaluate(settings, w.validation(), st), EvalSum::merge);
  }

  /**
   * {@code task} on every worker with {@code state} broadcast, combined by {@code merge}. State and
   * results travel as Java-serialized bytes, so any spark.serializer (Kryo included) carries them.
   */
  private <R extends Serializable> R run(
      TrainState state, Function2<WorkerData, TrainState, R> task, TreeCombine.Merge<R> merge) {
    Broadcast<JavaSerialized<TrainState>> bc = sc.broadcast(JavaSerialized.of(state));
    try {
      return TreeCombine.combine(
          data.map(w -> JavaSerialized.of(task.call(w, bc.value().get()))), merge);
    } finally {
      bc.destroy();
    }
  }
}
