package io.sparkgrad.engine.train;

/**
 * How N workers train: the learning rate they step at and how many steps they take between
 * combining states. Combining N workers' states divides each step's effect by N, so with sgd the
 * rate is multiplied by N (the linear scaling rule, Goyal et al. 2017), reached by a linear warm-up
 * over the first epoch; Adam and AdamW normalise their steps and keep the rate as set. Workers
 * drift apart between combines in proportion to the steps they take at the scaled rate, so the
 * interval shrinks as N grows. An explicit syncInterval wins; scaleLearningRate=false keeps the
 * rate as set.
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

  /** Steps between combines for N workers when syncInterval is 0. */
  static int autoInterval(int workers, int stepsPerEpoch) {
    if (workers <= 2) {
      return stepsPerEpoch;
    }
    return Math.max(1, stepsPerEpoch * 4 / (workers * workers));
  }
}
