package io.sparkgrad.spark.training;

import java.io.Serializable;

/**
 * One epoch of a fit: mean training loss over its rows, validation loss and metric (NaN without a
 * validation set; the metric is accuracy for classification, RMSE for mse), and wall seconds of
 * training and, apart, of validation.
 */
public record EpochStats(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationMetric,
    long rows,
    double seconds,
    double validationSeconds)
    implements Serializable {}
