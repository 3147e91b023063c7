package io.sparkgrad.engine.train;

import java.util.List;

/** Where a fit saves its progress and resumes from; the Spark layer writes to Hadoop storage. */
public interface Checkpointer {
  /** The newest usable checkpoint of this fit, or null when there is none. */
  Restored latest();

  /** True when a checkpoint is due after {@code epochsDone} epochs. */
  boolean due(int epochsDone, int maxEpochs);

  void save(int epochsDone, TrainState state, List<EpochStats> epochs);

  /** A checkpoint read back: epochs done, the state after them and their figures. */
  record Restored(int epochsDone, TrainState state, List<EpochStats> epochs) {}
}
