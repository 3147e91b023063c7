package io.sparkgrad.engine.train;

import io.sparkgrad.engine.data.Dataset;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Workers run one after another in this process, summed in worker order. The same arithmetic as a
 * Spark fit with the same rows per worker: Spark only moves it.
 */
public final class LocalWorkers implements Workers {
  private final TrainSettings s;
  private final List<? extends Dataset> train;
  private final List<? extends Dataset> validation;

  public LocalWorkers(
      TrainSettings s, List<? extends Dataset> train, List<? extends Dataset> validation) {
    this.s = s;
    this.train = train;
    this.validation = validation;
  }

  @Override
  public int count() {
    return train.size();
  }

  @Override
  public long[] trainRows() {
    return train.stream().mapToLong(Dataset::size).toArray();
  }

  @Override
  public boolean hasValidation() {
    return validation.stream().anyMatch(d -> d.size() > 0);
  }

  @Override
  public StateSum round(TrainState from, RoundSpec round) {
    return sum(w -> WorkerTasks.round(s, w, train.get(w), from, round));
  }

  @Override
  public StateSum gradients(TrainState at, RoundSpec step) {
    return sum(w -> WorkerTasks.gradients(s, w, train.get(w), at, step));
  }

  /** Every worker's result, merged in worker order. */
  private StateSum sum(IntFunction<StateSum> worker) {
    StateSum sum = new StateSum();
    for (int w = 0; w < train.size(); w++) {
      sum.merge(worker.apply(w));
    }
    return sum;
  }

  @Override
  public EvalSum evaluate(TrainState at) {
    EvalSum sum = new EvalSum();
    for (Dataset v : validation) {
      sum.merge(WorkerTasks.evaluate(s, v, at));
    }
    return sum;
  }
}
