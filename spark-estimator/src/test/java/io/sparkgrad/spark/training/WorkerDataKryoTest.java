package io.sparkgrad.spark.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.RowBlocks;
import io.sparkgrad.engine.train.RowKeys;
import io.sparkgrad.spark.scoring.FeatureColumns;
import io.sparkgrad.spark.scoring.FeaturesKind;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Spark writes shuffled rows and cached partitions that spill to disk with spark.serializer; Kryo
 * (common in production) must carry them whole.
 */
class WorkerDataKryoTest {
  private final SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();

  private <T> T roundTrip(T value, Class<T> type) {
    ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
    return kryo.deserialize(kryo.serialize(value, tag), tag);
  }

  @Test
  void packedRowsAndShuffledRowsSurviveKryo() {
    ColumnPlan plan =
        new ColumnPlan(
            FeatureColumns.single("f", SQLDataTypes.VectorType(), FeaturesKind.VECTOR),
            "l",
            "w",
            "v",
            LossKind.CROSS_ENTROPY,
            2,
            3,
            false,
            true);
    float[] a = {1f, 2f, 0f, 2f};
    float[] b = {3f, 4f, 1f, 3f};
    EncodedRow row = new EncodedRow(RowKeys.key(4, a, 3, false), EncodedRow.TRAIN, a);
    EncodedRow shuffled = roundTrip(row, EncodedRow.class);
    assertEquals(row.key, shuffled.key);
    assertArrayEquals(a, shuffled.values);

    List<EncodedRow> rows =
        List.of(
            row,
            new EncodedRow(RowKeys.key(4, b, 3, true), EncodedRow.VALIDATION, b),
            new EncodedRow(RowKeys.positionKey(4, 0, 2), EncodedRow.SKIPPED, null));
    WorkerData data = WorkerData.pack(5, rows.iterator(), plan);
    WorkerData back = roundTrip(data, WorkerData.class);
    assertEquals(5, back.worker());
    assertEquals(1, back.skippedRows());
    assertEquals(data.checksum(), back.checksum());
    assertRows(data.train(), back.train());
    assertRows(data.validation(), back.validation());
    assertEquals(2f, back.train().weight(0));
    assertEquals(3f, back.validation().weight(0));
  }

  private static void assertRows(RowBlocks expected, RowBlocks actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      float[] x1 = new float[2];
      float[] y1 = new float[1];
      float[] x2 = new float[2];
      float[] y2 = new float[1];
      expected.read(i, x1, 0, y1, 0);
      actual.read(i, x2, 0, y2, 0);
      assertArrayEquals(x1, x2);
      assertArrayEquals(y1, y2);
    }
  }
}
