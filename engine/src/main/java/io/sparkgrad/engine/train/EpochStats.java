package io.sparkgrad.engine.train;

import java.io.Serializable;

/**
 * One epoch of a fit: mean training loss over its rows (weighted by sample weights when given),
 * validation loss and metric (NaN without a validation set; accuracy for classification, RMSE for
 * mse), the rows trained on, the learning rate the workers ended the epoch at, and wall seconds of
 * training and, apart, of validation.
 *
 * <p>Part of the public API of both layers: the engine's epoch loop ({@link DataParallelFit}) makes
 * it, in process or on Spark, and {@code io.sparkgrad.spark.TrainingSummary#epochs} hands it to
 * Spark users as is. It lives here because the engine never imports Spark; a Spark-side copy would
 * be the same eight fields written twice.
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
