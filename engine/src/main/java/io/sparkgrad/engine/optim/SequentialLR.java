package io.sparkgrad.engine.optim;

import java.util.List;

/**
 * Runs schedulers one after another, as {@code torch.optim.lr_scheduler.SequentialLR}: scheduler i
 * sets the rate from epoch {@code milestones[i - 1]} on, and each one after the first starts from
 * the base rate at its milestone (its epoch 0). A warm-up then a schedule:
 *
 * <pre>
 *   new SequentialLR(opt, List.of(new LinearLR(opt, 0.25, 1, 3), new CosineAnnealingLR(opt, 7)),
 *       new int[] {3});
 * </pre>
 */
public final class SequentialLR extends LRScheduler {
  private final List<LRScheduler> schedulers;
  private final int[] milestones;

  public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
    super(optimizer);
    check(!schedulers.isEmpty(), "SequentialLR expects at least one scheduler");
    for (int i = 0; i < schedulers.size(); i++) {
      check(
          schedulers.get(i).optimizer() == optimizer,
          "Sequential Schedulers expects all schedulers to belong to the same optimizer, but got"
              + " schedulers at index "
              + i
              + " to be different than the optimizer passed in.");
    }
    check(
        milestones.length == schedulers.size() - 1,
        "Sequential Schedulers expects number of schedulers provided to be one more than the"
            + " number of milestone points, but got number of schedulers "
            + schedulers.size()
            + " and the number of milestones to be equal to "
            + milestones.length);
    for (int i = 0; i < milestones.length; i++) {
      check(
          milestones[i] >= 1 && (i == 0 || milestones[i] > milestones[i - 1]),
          "SequentialLR milestones must be positive and increasing, got milestone "
              + milestones[i]
              + " at index "
              + i);
    }
    this.schedulers = List.copyOf(schedulers);
    this.milestones = milestones.clone();
    // As PyTorch: back to the base rate, undo the schedulers' initial steps, then take the first
    // scheduler's initial step alone.
    lastEpoch = 0;
    optimizer.setLearningRate(baseLr);
    for (LRScheduler s : this.schedulers) {
      s.lastEpoch--;
    }
    this.schedulers.get(0).initialStep();
    lastLr = this.schedulers.get(0).getLastLr();
  }

  @Override
  public void step() {
    lastEpoch++;
    int idx = bisectRight(milestones, lastEpoch);
    LRScheduler current = schedulers.get(idx);
    if (idx > 0 && milestones[idx - 1] == lastEpoch) {
      current.stepTo(0);
    } else {
      current.step();
    }
    lastLr = current.getLastLr();
  }

  /** The number of milestones at or before {@code epoch}: the index of its scheduler. */
  private static int bisectRight(int[] sorted, int epoch) {
    int i = 0;
    while (i < sorted.length && sorted[i] <= epoch) {
      i++;
    }
    return i;
  }

  @Override
  protected double getLr() {
    throw new UnsupportedOperationException("SequentialLR takes its rates from its schedulers");
  }

  @Override
  protected double closedFormLr() {
    throw new UnsupportedOperationException("SequentialLR has no closed form");
  }
}
