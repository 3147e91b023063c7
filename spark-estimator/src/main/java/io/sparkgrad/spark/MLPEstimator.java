package io.sparkgrad.spark;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.spark.training.Checkpoints;
import io.sparkgrad.spark.training.DistributedTrainer;
import io.sparkgrad.spark.training.ModelState;
import io.sparkgrad.spark.training.TrainingSettings;
import java.util.LinkedHashMap;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a multilayer perceptron, PyTorch-style, over a DataFrame's partitions: mini-batches of
 * {@code batchSize} rows inside each partition, SGD with momentum, Adam or AdamW, and a loss chosen
 * by param (mse, bce or cross_entropy).
 *
 * <p>With one partition the fit is exactly the engine's training loop. With N partitions, N
 * mini-batches are processed at once, one per partition, and the models are averaged every {@code
 * syncInterval} steps (once per epoch by default); with sgd the learning rate is multiplied by N
 * ({@code scaleLearningRate}), because averaging N models divides each step's effect by N.
 */
public class MLPEstimator extends MLPEstimatorParams implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  public MLPEstimator() {
    this(Identifiable.randomUID("mlp"));
  }

  public MLPEstimator(String uid) {
    super(uid);
  }

  // ---- setters -----------------------------------------------------------------------------

  public MLPEstimator setFeaturesCol(String v) {
    return (MLPEstimator) set(featuresCol, v);
  }

  public MLPEstimator setLabelCol(String v) {
    return (MLPEstimator) set(labelCol, v);
  }

  public MLPEstimator setWeightCol(String v) {
    return (MLPEstimator) set(weightCol, v);
  }

  public MLPEstimator setPredictionCol(String v) {
    return (MLPEstimator) set(predictionCol, v);
  }

  public MLPEstimator setProbabilityCol(String v) {
    return (MLPEstimator) set(probabilityCol, v);
  }

  public MLPEstimator setRawPredictionCol(String v) {
    return (MLPEstimator) set(rawPredictionCol, v);
  }

  public MLPEstimator setValidationIndicatorCol(String v) {
    return (MLPEstimator) set(validationIndicatorCol, v);
  }

  public MLPEstimator setLayers(int[] v) {
    return (MLPEstimator) set(layers, v);
  }

  public MLPEstimator setActivation(String v) {
    return (MLPEstimator) set(activation, v);
  }

  public MLPEstimator setLoss(String v) {
    return (MLPEstimator) set(loss, v);
  }

  public MLPEstimator setOptimizer(String v) {
    return (MLPEstimator) set(optimizer, v);
  }

  public MLPEstimator setLearningRate(double v) {
    return (MLPEstimator) set(learningRate, v);
  }

  public MLPEstimator setMomentum(double v) {
    return (MLPEstimator) set(momentum, v);
  }

  public MLPEstimator setNesterov(boolean v) {
    return (MLPEstimator) set(nesterov, v);
  }

  public MLPEstimator setWeightDecay(double v) {
    return (MLPEstimator) set(weightDecay, v);
  }

  public MLPEstimator setBatchSize(int v) {
    return (MLPEstimator) set(batchSize, v);
  }

  public MLPEstimator setMaxEpochs(int v) {
    return (MLPEstimator) set(maxEpochs, v);
  }

  public MLPEstimator setShuffle(boolean v) {
    return (MLPEstimator) set(shuffle, v);
  }

  public MLPEstimator setSeed(long v) {
    return (MLPEstimator) set(seed, v);
  }

  public MLPEstimator setSyncInterval(int v) {
    return (MLPEstimator) set(syncInterval, v);
  }

  public MLPEstimator setSyncMode(String v) {
    return (MLPEstimator) set(syncMode, v);
  }

  public MLPEstimator setScaleLearningRate(boolean v) {
    return (MLPEstimator) set(scaleLearningRate, v);
  }

  public MLPEstimator setInitialWeightsPath(String v) {
    return (MLPEstimator) set(initialWeightsPath, v);
  }

  public MLPEstimator setEarlyStoppingPatience(int v) {
    return (MLPEstimator) set(earlyStoppingPatience, v);
  }

  public MLPEstimator setTol(double v) {
    return (MLPEstimator) set(tol, v);
  }

  public MLPEstimator setCheckpointDir(String v) {
    return (MLPEstimator) set(checkpointDir, v);
  }

  public MLPEstimator setCheckpointInterval(int v) {
    return (MLPEstimator) set(checkpointInterval, v);
  }

  public MLPEstimator setHandleInvalid(String v) {
    return (MLPEstimator) set(handleInvalid, v);
  }

  public MLPEstimator setThreshold(double v) {
    return (MLPEstimator) set(threshold, v);
  }

  // ---- fit ---------------------------------------------------------------------------------

  @Override
  public MLPModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainingSettings settings = settings();
    MlpSpec spec = settings.spec();
    FitInput input = FitInput.pack(dataset, this, spec);
    try {
      ModelState init = initialState(spec, settings);
      DistributedTrainer.Result result =
          new DistributedTrainer(
                  input.sparkContext(),
                  input.packed(),
                  settings,
                  input.trainRowsPerPartition(),
                  input.validationRowsPerPartition(),
                  checkpoints(settings, input))
              .fit(init);
      MLPModel model =
          new MLPModel(uid(), spec, result.state().weights())
              .setSummary(
                  result
                      .summary()
                      .withInput(input.skippedRows(), input.cachedBytes(), input.float32Bytes()));
      return copyValues(model, ParamMap.empty()).setParent(this);
    } catch (Exception e) { // Spark's SparkException is checked in Java terms but undeclared.
      throw FitInput.unwrap(e);
    } finally {
      input.release();
    }
  }

  private Checkpoints checkpoints(TrainingSettings settings, FitInput input) {
    if (getCheckpointDir().isEmpty()) {
      return null;
    }
    // A checkpoint resumes only the same fit: same params, partitioning and starting weights.
    String fingerprint =
        settings
            + "|partitions="
            + input.packed().getNumPartitions()
            + "|initialWeightsPath="
            + getInitialWeightsPath();
    return new Checkpoints(
        getCheckpointDir(),
        getCheckpointInterval(),
        fingerprint,
        input.sparkContext().hadoopConfiguration());
  }

  /** The params resolved into one immutable settings record. */
  TrainingSettings settings() {
    if (!isDefined(layers)) {
      throw new InvalidInputException(
          "Param layers is not set; set it to [input size, hidden sizes..., output size], e.g."
              + " setLayers(new int[] {784, 128, 10}).");
    }
    MlpSpec spec;
    try {
      spec = new MlpSpec($(layers), $(activation), $(loss));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("Params layers and loss do not fit: " + e.getMessage());
    }
    OptimizerSpec opt =
        new OptimizerSpec(
            $(optimizer),
            (Double) $(learningRate),
            (Double) $(momentum),
            (Boolean) $(nesterov),
            getWeightDecay());
    if ((Boolean) $(nesterov) && !opt.name().equals("sgd")) {
      throw new InvalidInputException("Param nesterov applies to optimizer sgd only; unset it.");
    }
    if ((Boolean) $(nesterov) && (Double) $(momentum) <= 0) {
      throw new InvalidInputException(
          "Param nesterov needs momentum > 0 (momentum is " + $(momentum) + "); set momentum.");
    }
    if ((Integer) $(earlyStoppingPatience) > 0 && $(validationIndicatorCol).isEmpty()) {
      throw new InvalidInputException(
          "Param earlyStoppingPatience needs validationIndicatorCol: set it to a Boolean column"
              + " marking the held-out rows, or set earlyStoppingPatience to 0.");
    }
    return new TrainingSettings(
        spec,
        opt,
        (Integer) $(batchSize),
        (Integer) $(maxEpochs),
        (Boolean) $(shuffle),
        (Long) $(seed),
        (Integer) $(syncInterval),
        $(syncMode).equals("average_gradients"),
        (Boolean) $(scaleLearningRate),
        (Integer) $(earlyStoppingPatience),
        (Double) $(tol));
  }

  private ModelState initialState(MlpSpec spec, TrainingSettings s) {
    LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
    if ($(initialWeightsPath).isEmpty()) {
      spec.build(new Generator(s.seed()))
          .namedParameters()
          .forEach((k, v) -> weights.put(k, v.data()));
    } else {
      weights.putAll(InitialWeights.read($(initialWeightsPath), spec));
    }
    return new ModelState(weights, new LinkedHashMap<>());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, $(featuresCol), "featuresCol");
    String labelType = SchemaChecks.require(schema, $(labelCol), "labelCol").simpleString();
    if (!$(loss).equals("mse") || !labelType.equals("vector")) {
      SchemaChecks.requireNumeric(schema, $(labelCol), "labelCol");
    }
    if (!$(weightCol).isEmpty()) {
      SchemaChecks.requireNumeric(schema, $(weightCol), "weightCol");
    }
    if (!$(validationIndicatorCol).isEmpty()) {
      String t =
          SchemaChecks.require(schema, $(validationIndicatorCol), "validationIndicatorCol")
              .simpleString();
      if (!t.equals("boolean")) {
        throw new InvalidInputException(
            "Column '"
                + $(validationIndicatorCol)
                + "' (validationIndicatorCol) has type "
                + t
                + "; expected boolean.");
      }
    }
    MLPModel probe = new MLPModel(uid(), settings().spec(), new LinkedHashMap<>());
    return copyValues(probe, ParamMap.empty()).transformSchema(schema);
  }

  @Override
  public MLPEstimator copy(ParamMap extra) {
    return (MLPEstimator) defaultCopy(extra);
  }

  public static MLReader<MLPEstimator> read() {
    return new DefaultParamsReader<>();
  }

  public static MLPEstimator load(String path) {
    return read().load(path);
  }
}
