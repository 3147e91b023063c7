package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * One round of data-parallel training: every worker runs batches {@code fromBatch} to {@code
 * fromBatch + steps - 1} of {@code epoch} (fewer at the epoch's end), stepping at {@code lr} of its
 * global step {@code epoch x stepsPerEpoch + batch}. With {@code evenBatches} every worker cuts its
 * epoch into {@code stepsPerEpoch} near-equal batches, so all workers step in every round although
 * their row counts differ a little; otherwise (one worker) batches are the DataLoader's.
 */
public record RoundSpec(
    int epoch, int fromBatch, int steps, int stepsPerEpoch, LearningRate lr, boolean evenBatches)
    implements Serializable {

  public long globalStep(int batch) {
    return (long) epoch * stepsPerEpoch + batch;
  }
}
