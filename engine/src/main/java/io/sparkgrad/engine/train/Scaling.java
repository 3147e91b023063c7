package io.sparkgrad.engine.train;

/**
 * How N workers train: the learning rate they step at and how many steps they take between
 * combining states. Combining N workers' states divides each step's effect by N, so with sgd the
 * rate is multiplied by N (the linear scaling rule, Goyal et al. 2017), reached by a linear warm-up
 * over the first epoch; Adam and AdamW normalise their steps and keep the rate as set.
 *
 * <p>Between combines the workers drift apart, the more so the larger the scaled rate, so the
 * workers combine N/2 times an epoch (once for one or two workers), but never after fewer than two
 * steps: on the MNIST recipe, 32 workers combining every step (synchronous SGD at 32 x the rate)
 * trained unstably, every second step reached 97.6%, once an epoch 96.5%. An explicit syncInterval
 * wins; scaleLearningRate=false keeps the rate as set.
 */
record Scaling(LearningRate lr, int syncInterval) {

  static Scaling of(TrainSettings s, int workers, int stepsPerEpoch) {
    double base = s.optimizer().learningRate();
    boolean scale = s.scaleLearningRate() && workers > 1 && s.optimizer().name().equals("sgd");
    double multiplier = scale ? workers : 1;
    long warmup = scale ? stepsPerEpoch : 0;
    int interval = s.syncInterval() > 0 ? s.syncInterval() : autoInterval(workers, stepsPerEpoch);
    interval = Math.max(1, Math.min(interval, Math.max(1, stepsPerEpoch)));
    return new Scaling(new LearningRate(base, multiplier, warmup), interval);
  }

  /** Steps between combines for N workers when syncInterval is 0: N/2 combines an epoch. */
  static int autoInterval(int workers, int stepsPerEpoch) {
    int combines = Math.max(1, workers / 2);
    return Math.max(2, (stepsPerEpoch + combines - 1) / combines);
  }
}
