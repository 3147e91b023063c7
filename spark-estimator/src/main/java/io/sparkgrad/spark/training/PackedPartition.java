package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.PackedData;
import java.io.Serializable;

/**
 * One partition's rows packed into float32 blocks, training and validation rows apart, and how many
 * bad rows were skipped (handleInvalid=skip). Cached by Spark so every round reuses the blocks
 * without touching Rows again.
 */
public final class PackedPartition implements Serializable {
  private static final long serialVersionUID = 1L;

  // A class, not a record: Spark writes cached partitions that spill to disk with
  // spark.serializer, and Kryo 4 cannot write records.
  private final int partition;
  private final int inputSize;
  private final int targetSize;
  private final float[] trainX;
  private final float[] trainY;
  private final float[] trainW;
  private final float[] validX;
  private final float[] validY;
  private final float[] validW;
  private final long skippedRows;

  /** Weights arrays are null when the rows are unweighted. */
  public PackedPartition(
      int partition,
      int inputSize,
      int targetSize,
      float[] trainX,
      float[] trainY,
      float[] trainW,
      float[] validX,
      float[] validY,
      float[] validW,
      long skippedRows) {
    this.partition = partition;
    this.inputSize = inputSize;
    this.targetSize = targetSize;
    this.trainX = trainX;
    this.trainY = trainY;
    this.trainW = trainW;
    this.validX = validX;
    this.validY = validY;
    this.validW = validW;
    this.skippedRows = skippedRows;
  }

  /** The partition's index in the DataFrame it was packed from (seeds its row order). */
  public int partition() {
    return partition;
  }

  public long skippedRows() {
    return skippedRows;
  }

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
