package io.sparkgrad.spark.training;

import io.sparkgrad.engine.train.ClassWeights;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowBlocksBuilder;
import java.io.Serializable;
import java.util.Iterator;

/**
 * One worker's rows, training and validation apart, each sorted by content key in bounded blocks;
 * cached by Spark so every round reads the blocks and never the input rows again. Also what packing
 * found: rows skipped as invalid, and a checksum of the rows for the checkpoint fingerprint.
 */
final class WorkerData implements Serializable {
  private static final long serialVersionUID = 1L;

  // A class, not a record: Spark writes cached partitions that spill to disk with
  // spark.serializer, and Kryo 4 cannot write records.
  private final int worker;
  private final RowBlocks train;
  private final RowBlocks validation;
  private final long skippedRows;
  private final long checksum;
  private final double[] classCounts;

  private WorkerData(
      int worker,
      RowBlocks train,
      RowBlocks validation,
      long skippedRows,
      long checksum,
      double[] classCounts) {
    this.worker = worker;
    this.train = train;
    this.validation = validation;
    this.skippedRows = skippedRows;
    this.checksum = checksum;
    this.classCounts = classCounts;
  }

  /** Packs the rows Spark dealt to {@code worker}, in whatever order they arrive. */
  static WorkerData pack(int worker, Iterator<EncodedRow> rows, ColumnPlan plan) {
    RowBlocksBuilder train =
        new RowBlocksBuilder(plan.inputSize(), plan.targetSize(), plan.hasWeights());
    RowBlocksBuilder validation =
        new RowBlocksBuilder(plan.inputSize(), plan.targetSize(), plan.hasWeights());
    long skipped = 0;
    while (rows.hasNext()) {
      EncodedRow r = rows.next();
      switch (r.kind) {
        case EncodedRow.TRAIN -> train.add(r.values, r.key);
        case EncodedRow.VALIDATION -> validation.add(r.values, r.key);
        default -> skipped++;
      }
    }
    RowBlocks t = train.build();
    RowBlocks v = validation.build();
    // Counted over the packed rows, in key order, so the sums do not depend on arrival order.
    double[] counts =
        plan.loss().isClassifier()
            ? ClassWeights.counts(t, ClassWeights.classes(plan.loss(), plan.outputs()))
            : new double[0];
    return new WorkerData(
        worker, t, v, skipped, train.checksum() * 31 + validation.checksum(), counts);
  }

  public int worker() {
    return worker;
  }

  public RowBlocks train() {
    return train;
  }

  public RowBlocks validation() {
    return validation;
  }

  public long skippedRows() {
    return skippedRows;
  }

  public long checksum() {
    return checksum;
  }

  /** Training rows per class (weighted by weightCol when set); empty for mse. */
  public double[] classCounts() {
    return classCounts;
  }
}
