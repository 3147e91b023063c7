package io.sparkgrad.engine.train;

import java.io.Serializable;
import java.util.List;

/**
 * What a fit ends with: the state to keep (the best epoch's with early stopping), the epochs, how
 * the workers trained, and a warning when the loss never improved (null otherwise).
 *
 * @param epochsRun epochs trained by this run (fewer than {@code epochs} after a resume)
 */
public record FitResult(
    TrainState state,
    List<EpochStats> epochs,
    int epochsRun,
    boolean stoppedEarly,
    int bestEpoch,
    int workers,
    int syncInterval,
    double learningRate,
    String warning)
    implements Serializable {}
