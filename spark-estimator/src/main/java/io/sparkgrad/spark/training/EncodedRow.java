package io.sparkgrad.spark.training;

import java.io.Serializable;

/**
 * One input row on its way to its worker: its float32 values (features, targets, weight), its
 * content key, and whether it trains, validates or was skipped as invalid (then it has no values
 * and is only counted).
 */
final class EncodedRow implements Serializable {
  private static final long serialVersionUID = 1L;

  static final byte TRAIN = 0;
  static final byte VALIDATION = 1;
  static final byte SKIPPED = 2;

  // A class, not a record: Spark shuffles it with spark.serializer, and Kryo 4 cannot write
  // records.
  final long key;
  final byte kind;
  final float[] values;

  EncodedRow(long key, byte kind, float[] values) {
    this.key = key;
    this.kind = kind;
    this.values = values;
  }
}
