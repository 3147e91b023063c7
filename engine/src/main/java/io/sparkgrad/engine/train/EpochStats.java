package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * One epoch of a fit: mean training loss over its rows (weighted by sample weights when given),
 * validation loss and metric (NaN without a validation set; accuracy for classification, RMSE for
 * mse), the rows trained on, the learning rate the workers ended the epoch at, and wall seconds of
 * training and, apart, of validation.
 */
public record EpochStats(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationMetric,
    long rows,
    double learningRate,
    double seconds,
    double validationSeconds)
    implements Serializable {}
