package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.PackedData;
import java.io.Serializable;

/**
 * One partition's rows packed into float32 blocks, training and validation rows apart, and how many
 * bad rows were skipped (handleInvalid=skip). Cached by Spark so every round reuses the blocks
 * without touching Rows again.
 */
public record PackedPartition(
    int partition,
    int inputSize,
    int targetSize,
    float[] trainX,
    float[] trainY,
    float[] trainW,
    float[] validX,
    float[] validY,
    float[] validW,
    long skippedRows)
    implements Serializable {

  public int trainRows() {
    return trainY.length / targetSize;
  }

  public int validationRows() {
    return validY.length / targetSize;
  }

  public PackedData train() {
    return new PackedData(trainRows(), inputSize, targetSize, trainX, trainY, trainW);
  }

  public PackedData validation() {
    return new PackedData(validationRows(), inputSize, targetSize, validX, validY, validW);
  }
}
