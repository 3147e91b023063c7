package io.sparkgrad.spark.internal;

import io.sparkgrad.spark.scoring.FeatureColumns;
import io.sparkgrad.spark.scoring.FeaturesKind;
import io.sparkgrad.spark.scoring.RowFormat;
import io.sparkgrad.spark.scoring.ScoringTask;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * The only user of Spark's private or unstable APIs, which are what breaks between Spark versions:
 * check here first after an upgrade. Each use says why it is needed and what the public alternative
 * would cost. Not API: public only because callers sit in other packages.
 *
 * <p>Two {@code private[ml]} Scala traits are implemented elsewhere, since a class cannot implement
 * an interface found by name: {@code MLPModel} is a {@code ml.util.HasTrainingSummary} and {@code
 * TrainingSummary} a {@code ml.classification.TrainingSummary}, the types on Spark Connect's
 * allowlist for {@code summary}, {@code objectiveHistory} and {@code totalIterations}. Both have
 * the same abstract members from Spark 3.5 to 4.2.
 */
public final class SparkInternals {
  private SparkInternals() {}

  /**
   * Writes {@code stage}'s params as Spark's metadata JSON under {@code path}/metadata.
   *
   * <p>Why: Pipeline, CrossValidator and PySpark read a stage's folder through that JSON (class,
   * uid, Spark version, paramMap, defaultParamMap). Its writer is {@code private[ml]}; the public
   * alternative is writing the same JSON here from {@code Param.jsonEncode}, some 40 lines that
   * must follow Spark's format release by release.
   */
  public static void saveParams(Params stage, String path, SparkSession spark) {
    // The SparkContext overload is the one every supported Spark (3.5 to 4.x) has.
    DefaultParamsWriter$.MODULE$.saveMetadata(
        stage, path, spark.sparkContext(), scala.Option.empty(), scala.Option.empty());
  }

  /**
   * Reads the metadata JSON under {@code path}, checks it names {@code type}, makes the stage with
   * {@code create(uid)} and sets the saved params and defaults on it.
   *
   * <p>Why: the counterpart of {@link #saveParams}, equally {@code private[ml]}; the public
   * alternative is parsing that JSON here and decoding each param with {@code Param.jsonDecode},
   * some 50 lines including the pre-2.4 files that have no defaults.
   */
  public static <T extends Params> T loadParams(
      String path, SparkSession spark, Class<T> type, Function<String, T> create) {
    DefaultParamsReader.Metadata meta =
        DefaultParamsReader$.MODULE$.loadMetadata(path, spark.sparkContext(), type.getName());
    T stage = create.apply(meta.uid());
    meta.getAndSetParams(stage, scala.Option.empty());
    return stage;
  }

  /**
   * {@code task} run over the binary rows of a batch plan, as a DataFrame of schema {@code out};
   * empty for a streaming plan or a Dataset without a query execution (Spark Connect's), which the
   * caller then scores as {@code Row}s.
   *
   * <p>Why: the input columns pass through as bytes and the features are read from the vector's
   * struct, instead of every column of every row being decoded into a {@code Row} and encoded back.
   * {@code queryExecution().toRdd()} is the way in and {@code internalCreateDataFrame} ({@code
   * private[sql]}) the way out. The public alternative, {@code Dataset.mapPartitions} with a {@code
   * Row} encoder (the streaming path), pays that decoding and encoding on every input column. Both
   * are found by name: Spark 3.5 declares them on {@code sql.Dataset} and {@code sql.SparkSession},
   * Spark 4 on their {@code sql.classic} subclasses, so this code compiles and runs on both lines.
   */
  public static Optional<Dataset<Row>> scoreBinaryRows(
      Dataset<Row> df, StructType out, ScoringTask task) {
    if (df.isStreaming()) {
      return Optional.empty();
    }
    Optional<QueryExecution> plan = call(df, "queryExecution", QueryExecution.class);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    BinaryRows format = BinaryRows.of(task.features(), task.featuresIndices());
    RDD<InternalRow> scored =
        plan.get()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, InternalRow>)
                    rows -> task.score(rows, format))
            .rdd();
    SparkSession session = df.sparkSession();
    try {
      Method create =
          session
              .getClass()
              .getMethod("internalCreateDataFrame", RDD.class, StructType.class, boolean.class);
      @SuppressWarnings("unchecked")
      Dataset<Row> result = (Dataset<Row>) create.invoke(session, scored, out, false);
      return Optional.of(result);
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }

  /** {@code target.name()} when its class has that public method returning a {@code type}. */
  private static <T> Optional<T> call(Object target, String name, Class<T> type) {
    try {
      Object value = target.getClass().getMethod(name).invoke(target);
      return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    } catch (ReflectiveOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * Catalyst's rows, read and extended in place: the features from the vector's struct (type, size,
   * indices, values; type 1 is dense), straight from the array, or from each numeric column by its
   * type; the outputs appended with a {@link JoinedRow} so the input columns are never copied field
   * by field. Catalyst is Spark's internal API.
   */
  private record BinaryRows(FeatureColumns features, int[] indices, NumberReader[] numbers)
      implements RowFormat<InternalRow> {
    private static final int VECTOR_FIELDS = 4;
    private static final VectorUDT VECTORS = new VectorUDT();

    /** Reads one numeric column of a Catalyst row as a double. */
    private interface NumberReader extends Serializable {
      double read(InternalRow row, int ordinal);
    }

    /** The format for {@code features}, each featuresCols column's reader chosen once by type. */
    static BinaryRows of(FeatureColumns features, int[] indices) {
      NumberReader[] numbers = new NumberReader[features.isNumbers() ? indices.length : 0];
      for (int c = 0; c < numbers.length; c++) {
        numbers[c] = reader(features.types().get(c), features.name(c));
      }
      return new BinaryRows(features, indices, numbers);
    }

    /** Read by the column's type, as the external row's Number would give it. */
    private static NumberReader reader(DataType t, String column) {
      if (t instanceof DoubleType) {
        return InternalRow::getDouble;
      }
      if (t instanceof FloatType) {
        return InternalRow::getFloat;
      }
      if (t instanceof IntegerType) {
        return InternalRow::getInt;
      }
      if (t instanceof LongType) {
        return InternalRow::getLong;
      }
      if (t instanceof ShortType) {
        return InternalRow::getShort;
      }
      if (t instanceof ByteType) {
        return InternalRow::getByte;
      }
      if (t instanceof DecimalType d) {
        int precision = d.precision();
        int scale = d.scale();
        return (row, i) -> row.getDecimal(i, precision, scale).toDouble(); // BigDecimal's
      }
      throw new IllegalStateException("featuresCols column " + column + " has type " + t);
    }

    @Override
    public boolean isNull(InternalRow row, int c) {
      return row.isNullAt(indices[c]);
    }

    @Override
    public int featuresSize(InternalRow row) {
      if (features.kind().isArray()) {
        return row.getArray(indices[0]).numElements();
      }
      InternalRow v = row.getStruct(indices[0], VECTOR_FIELDS);
      return v.getByte(0) == 1 ? v.getArray(3).numElements() : v.getInt(1);
    }

    @Override
    public String writeFeatures(InternalRow row, float[] x, int off) {
      if (features.kind().isArray()) {
        return writeArray(row.getArray(indices[0]), x, off);
      }
      InternalRow v = row.getStruct(indices[0], VECTOR_FIELDS);
      ArrayData values = v.getArray(3);
      int n = values.numElements();
      if (v.getByte(0) == 1) {
        for (int i = 0; i < n; i++) {
          x[off + i] = (float) values.getDouble(i);
        }
      } else {
        ArrayData positions = v.getArray(2);
        int size = v.getInt(1);
        Arrays.fill(x, off, off + size, 0f);
        for (int i = 0; i < n; i++) {
          int k = positions.getInt(i);
          if (k < 0 || k >= size) {
            return "a malformed sparse vector (index " + k + " outside its size " + size + ")";
          }
          x[off + k] = (float) values.getDouble(i);
        }
      }
      return null;
    }

    private String writeArray(ArrayData a, float[] x, int off) {
      boolean floats = features.kind() == FeaturesKind.FLOAT_ARRAY;
      int n = a.numElements();
      for (int i = 0; i < n; i++) {
        if (a.isNullAt(i)) {
          return "null at array index " + i;
        }
        x[off + i] = floats ? a.getFloat(i) : (float) a.getDouble(i);
      }
      return null;
    }

    @Override
    public double number(InternalRow row, int c) {
      return numbers[c].read(row, indices[c]);
    }

    @Override
    public InternalRow retain(InternalRow row) {
      return row.copy();
    }

    @Override
    public InternalRow append(InternalRow row, Object[] extra) {
      Object[] values = new Object[extra.length];
      for (int i = 0; i < extra.length; i++) {
        values[i] = extra[i] instanceof Vector vec ? VECTORS.serialize(vec) : extra[i];
      }
      return new JoinedRow(row, new GenericInternalRow(values));
    }
  }
}
