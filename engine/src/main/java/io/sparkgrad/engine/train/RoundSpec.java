package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * One round of data-parallel training: every worker runs batches {@code fromBatch} to {@code
 * fromBatch + steps - 1} of {@code epoch} (fewer if it has fewer), stepping at {@code lr} of its
 * global step {@code epoch x stepsPerEpoch + batch}.
 */
public record RoundSpec(int epoch, int fromBatch, int steps, int stepsPerEpoch, LearningRate lr)
    implements Serializable {

  public long globalStep(int batch) {
    return (long) epoch * stepsPerEpoch + batch;
  }
}
