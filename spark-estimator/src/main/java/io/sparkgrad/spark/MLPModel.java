package io.sparkgrad.spark;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.onnx.MlpOnnx;
import io.sparkgrad.engine.onnx.OnnxOutputs;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.spark.internal.SparkInternals;
import io.sparkgrad.spark.persistence.ModelFiles;
import io.sparkgrad.spark.persistence.OnnxFile;
import io.sparkgrad.spark.scoring.ExternalRows;
import io.sparkgrad.spark.scoring.FeatureColumns;
import io.sparkgrad.spark.scoring.OutputColumns;
import io.sparkgrad.spark.scoring.Scorer;
import io.sparkgrad.spark.scoring.ScoringTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.HasTrainingSummary;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted MLP. {@link #transform} broadcasts the weights once and scores each partition in blocks
 * of rows with one GEMM per layer, appending Spark's usual output columns for its loss.
 *
 * <p>It implements Spark's {@link HasTrainingSummary} (a {@code private[ml]} trait, the same on
 * every supported Spark line) because a Spark Connect server lets clients call {@code summary} and
 * {@code hasSummary} only on models of that type.
 */
public class MLPModel extends Model<MLPModel>
    implements HasOutputParams<MLPModel>,
        HasFeaturesCols<MLPModel>,
        MLWritable,
        HasTrainingSummary<TrainingSummary> {
  private static final long serialVersionUID = 1L;

  /** Object headers, params, the architecture and a summary, beside the weights themselves. */
  static final long OVERHEAD_BYTES = 16 * 1024;

  private final String uid;
  private final OutputParams outputParams;
  private final FeaturesColsParams featuresColsParams;
  private final MlpSpec spec;
  private final LinkedHashMap<String, float[]> weights;
  private transient TrainingSummary summary;
  private transient Scorer scorer;

  /** An empty model, for Spark's reflection (readers, Spark Connect); load or fit a real one. */
  public MLPModel() {
    this(Identifiable.randomUID("mlp"));
  }

  public MLPModel(String uid) {
    this(uid, null, new LinkedHashMap<>());
  }

  public MLPModel(String uid, MlpSpec spec, Map<String, float[]> weights) {
    this.uid = uid;
    this.spec = spec;
    this.weights = new LinkedHashMap<>(weights);
    outputParams = new OutputParams(this);
    featuresColsParams = new FeaturesColsParams(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public OutputParams outputParams() {
    return outputParams;
  }

  @Override
  public FeaturesColsParams featuresColsParams() {
    return featuresColsParams;
  }

  // ---- what was learned --------------------------------------------------------------------

  /** The architecture: layer sizes, activation and loss. */
  public MlpSpec spec() {
    return requireFitted();
  }

  public int[] getLayers() {
    return requireFitted().layers().clone();
  }

  public int numFeatures() {
    return requireFitted().inputSize();
  }

  /** The state dict, by PyTorch Sequential names ("0.weight", "0.bias", ...), as copies. */
  public Map<String, Tensor> weights() {
    MlpSpec s = requireFitted();
    Map<String, Tensor> out = new LinkedHashMap<>();
    s.build(new io.sparkgrad.engine.Generator(0))
        .namedParameters()
        .forEach((k, p) -> out.put(k, Tensor.of(weights.get(k).clone(), p.shape())));
    return out;
  }

  /** Raw weight arrays by name, shared with this model: read, do not modify. */
  public Map<String, float[]> weightArrays() {
    return weights;
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** Per-epoch training figures of the fit that made this model. */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(
          "No training summary: this model was loaded or copied, not fitted in this session");
    }
    return summary;
  }

  public MLPModel setSummary(TrainingSummary value) {
    summary = value;
    return this;
  }

  /** The summary as Spark's HasTrainingSummary holds it (empty for a loaded or copied model). */
  @Override
  public scala.Option<TrainingSummary> trainingSummary() {
    return scala.Option.apply(summary);
  }

  /** HasTrainingSummary's setter (a Scala var's, hence the name). */
  @Override
  public void trainingSummary_$eq(scala.Option<TrainingSummary> value) {
    summary = value.isDefined() ? value.get() : null;
  }

  /**
   * Writes the summary as JSON to a local file. A Spark Connect server (4.1 and later, with its
   * model cache's memory control on, the default) calls this when it caches the model and writes it
   * to local disk, so the model can leave memory; it calls {@link #loadSummary} when a client asks
   * for the summary of a model read back from there.
   */
  public void saveSummary(String path) {
    SummaryJson.writeFile(summary(), path);
  }

  /** Reads the summary {@link #saveSummary} wrote; the training data is not needed. */
  public void loadSummary(String path, Dataset<Row> trainingData) {
    summary = SummaryJson.readFile(path, "model " + uid);
  }

  /**
   * Bytes this model holds: 4 per float32 weight plus {@link #OVERHEAD_BYTES}. Spark Connect's
   * model cache (4.1 and later) sizes its entries with this.
   */
  public long estimatedSize() {
    long floats = 0;
    for (float[] w : weights.values()) {
      floats += w.length;
    }
    return OVERHEAD_BYTES + Float.BYTES * floats;
  }

  /** What {@link #estimatedSize} will be for a model of this architecture. */
  static long estimatedSize(MlpSpec spec) {
    return OVERHEAD_BYTES + Float.BYTES * spec.parameterCount();
  }

  private MlpSpec requireFitted() {
    if (spec == null) {
      throw new IllegalStateException(
          "MLPModel " + uid + " has no weights; obtain it from MLPEstimator.fit or MLPModel.load");
    }
    return spec;
  }

  // ---- scoring -----------------------------------------------------------------------------

  private Scorer scorer() {
    if (scorer == null) {
      scorer = new Scorer(requireFitted(), weights);
    }
    return scorer;
  }

  private OutputColumns columns() {
    return new OutputColumns(
        requireFitted().loss(),
        spec.outputSize(),
        getRawPredictionCol(),
        getProbabilityCol(),
        getPredictionCol(),
        getThreshold());
  }

  /** Raw outputs for one row: logits for classification, predictions for mse. */
  public Vector predictRaw(Vector features) {
    float[] out = scoreOne(features);
    double[] d = new double[out.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = out[i];
    }
    return new DenseVector(d);
  }

  /** The prediction column's value for one row (for mse with several outputs, the first). */
  public double predict(Vector features) {
    Object[] values = columns().values(scoreOne(features), 0);
    Object last = values[values.length - 1];
    return last instanceof Vector v ? v.apply(0) : (Double) last;
  }

  /** The values {@link #transform} appends for one row, in column order. */
  public Object[] predictRow(Vector features) {
    return columns().values(scoreOne(features), 0);
  }

  private float[] scoreOne(Vector features) {
    int d = requireFitted().inputSize();
    if (features.size() != d) {
      throw new InvalidInputException(
          "predict got a vector of length "
              + features.size()
              + "; the model expects "
              + d
              + " features (layers[0]).");
    }
    double[] v = features.toArray();
    float[] x = new float[d];
    for (int i = 0; i < d; i++) {
      x[i] = (float) v[i];
    }
    return scorer().forward(x, 1);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = outputSchema(dataset.schema());
    Dataset<Row> df = dataset.toDF();
    FeatureColumns features = features(df.schema());
    int[] indices = features.names().stream().mapToInt(df.schema()::fieldIndex).toArray();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<JavaSerialized<Scorer>> bc = jsc.broadcast(JavaSerialized.of(scorer()));
    ScoringTask task = new ScoringTask(bc, columns(), features, indices);
    return SparkInternals.scoreBinaryRows(df, out, task)
        .orElseGet(
            () ->
                df.mapPartitions(
                    (MapPartitionsFunction<Row, Row>)
                        rows -> task.score(rows, new ExternalRows(features, indices)),
                    Encoders.row(out)));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema);
  }

  /** The columns to score from: featuresCols, else featuresCol; checked against the schema. */
  private FeatureColumns features(StructType schema) {
    return SchemaChecks.requireFeatures(schema, this, requireFitted().inputSize());
  }

  private StructType outputSchema(StructType schema) {
    features(schema);
    List<StructField> fields = new java.util.ArrayList<>(Arrays.asList(schema.fields()));
    for (StructField f : columns().fields()) {
      SchemaChecks.requireAbsent(schema, f.name());
      fields.add(f);
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  @Override
  public MLPModel copy(ParamMap extra) {
    MLPModel copy = new MLPModel(uid, spec, weights);
    copy.summary = summary;
    return copyValues(copy, extra).setParent(parent());
  }

  /**
   * Writes the model as an ONNX file (opset 17) to {@code path} on any Hadoop file system: input
   * {@code features} float32 [batch, numFeatures]; outputs named as this model's output columns
   * (rawPrediction, probability and prediction as int64 class index for classifiers; prediction for
   * mse), matching {@link #transform}. Refuses to replace an existing file.
   */
  public void saveOnnx(String path) {
    saveOnnx(path, false);
  }

  /** {@link #saveOnnx(String)}, replacing an existing file when {@code overwrite} is true. */
  public void saveOnnx(String path, boolean overwrite) {
    OnnxOutputs names =
        new OnnxOutputs(
            getRawPredictionCol(), getProbabilityCol(), getPredictionCol(), getThreshold());
    OnnxFile.write(path, MlpOnnx.toBytes(requireFitted(), weights(), names), overwrite);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<MLPModel> read() {
    return new Reader();
  }

  public static MLPModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "MLPModel: uid=" + uid + ", " + (spec == null ? "not fitted" : spec.toString());
  }

  /**
   * Saves Spark's params metadata JSON plus the versioned {@code data/} folder. Public because
   * PySpark calls its methods through Py4J, which cannot invoke methods of a non-public class.
   */
  public static final class Writer extends MLWriter {
    private final MLPModel model;

    Writer(MLPModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SparkInternals.saveParams(model, path, sparkSession());
      try {
        ModelFiles.write(
            new Path(path, "data").toString(),
            model.spec(),
            model.weights(),
            sparkSession().sparkContext().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write the model's data under " + path, e);
      }
    }
  }

  /** Loads what {@link Writer} saved, checking the data folder as untrusted input. */
  public static final class Reader extends MLReader<MLPModel> {
    Reader() {}

    @Override
    public MLPModel load(String path) {
      return SparkInternals.loadParams(
          path,
          sparkSession(),
          MLPModel.class,
          uid -> {
            ModelFiles.Loaded data;
            try {
              data =
                  ModelFiles.read(
                      new Path(path, "data").toString(),
                      sparkSession().sparkContext().hadoopConfiguration());
            } catch (IOException e) {
              throw new UncheckedIOException("Could not read the model's data under " + path, e);
            }
            return new MLPModel(uid, data.spec(), data.weights());
          });
    }
  }
}
