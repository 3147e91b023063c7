package io.sparkgrad.engine.optim;

/**
 * Base of the learning-rate schedulers, as {@code torch.optim.lr_scheduler.LRScheduler}: a
 * scheduler owns its optimizer's learning rate and changes it in {@link #step()}, which is called
 * once per epoch, after the epoch's optimizer steps:
 *
 * <pre>
 *   for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *     train(...);          // optimizer.step() per batch, at the epoch's rate
 *     scheduler.step();    // the rate for the next epoch
 *   }
 * </pre>
 *
 * <p>Construction performs PyTorch's initial step: it sets the rate of epoch 0. Rates follow
 * PyTorch's recursive ("chainable") forms, from the optimizer's current rate, so a sequence of
 * rates matches PyTorch's to the last bit. The base rate is the optimizer's rate when the first
 * scheduler was attached to it (PyTorch's {@code initial_lr}).
 */
public abstract class LRScheduler {
  protected final Optimizer optimizer;
  protected final double baseLr;
  protected int lastEpoch = -1;
  protected double lastLr;

  protected LRScheduler(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException("a scheduler needs an optimizer, got null");
    }
    this.optimizer = optimizer;
    this.baseLr = optimizer.initialLearningRate();
  }

  /**
   * PyTorch's initial step, which every scheduler takes at the end of its constructor (here, not in
   * this one, because a subclass's fields are set after it).
   */
  protected final void initialStep() {
    step();
  }

  /** Moves to the next epoch and sets the optimizer's rate for it. */
  public void step() {
    lastEpoch++;
    apply(getLr());
  }

  /** Jumps to {@code epoch} with the closed form, as {@link SequentialLR} does at a milestone. */
  protected void stepTo(int epoch) {
    lastEpoch = epoch;
    apply(closedFormLr());
  }

  private void apply(double lr) {
    optimizer.setLearningRate(lr);
    lastLr = lr;
  }

  /** The rate of epoch {@code lastEpoch}, from the optimizer's current one (PyTorch's get_lr). */
  protected abstract double getLr();

  /** The rate of epoch {@code lastEpoch} from the base rate alone. */
  protected abstract double closedFormLr();

  /** The rate this scheduler set last (PyTorch's {@code get_last_lr()}). */
  public double getLastLr() {
    return lastLr;
  }

  /** The index of the current epoch: 0 after construction, +1 per {@link #step()}. */
  public int lastEpoch() {
    return lastEpoch;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
