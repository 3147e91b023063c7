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
import org.apache.spark.ml.util.DefaultParamsReadable;
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
public class MLPEstimator extends MLPEstimatorParams
    implements HasOutputParams<MLPEstimator>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  public MLPEstimator() {
    this(Identifiable.randomUID("mlp"));
  }

  public MLPEstimator(String uid) {
    super(uid);
  }

  // ---- setters (the shared params' come from HasOutputParams) --------------------------------

  public MLPEstimator setLabelCol(String value) {
    return (MLPEstimator) set(labelCol, value);
  }

  public MLPEstimator setWeightCol(String value) {
    return (MLPEstimator) set(weightCol, value);
  }

  public MLPEstimator setValidationIndicatorCol(String value) {
    return (MLPEstimator) set(validationIndicatorCol, value);
  }

  public MLPEstimator setLayers(int[] value) {
    return (MLPEstimator) set(layers, value);
  }

  public MLPEstimator setActivation(String value) {
    return (MLPEstimator) set(activation, value);
  }

  public MLPEstimator setLoss(String value) {
    return (MLPEstimator) set(loss, value);
  }

  public MLPEstimator setOptimizer(String value) {
    return (MLPEstimator) set(optimizer, value);
  }

  public MLPEstimator setLearningRate(double value) {
    return (MLPEstimator) set(learningRate, value);
  }

  public MLPEstimator setMomentum(double value) {
    return (MLPEstimator) set(momentum, value);
  }

  public MLPEstimator setNesterov(boolean value) {
    return (MLPEstimator) set(nesterov, value);
  }

  public MLPEstimator setWeightDecay(double value) {
    return (MLPEstimator) set(weightDecay, value);
  }

  public MLPEstimator setBatchSize(int value) {
    return (MLPEstimator) set(batchSize, value);
  }

  public MLPEstimator setMaxEpochs(int value) {
    return (MLPEstimator) set(maxEpochs, value);
  }

  public MLPEstimator setShuffle(boolean value) {
    return (MLPEstimator) set(shuffle, value);
  }

  public MLPEstimator setSeed(long value) {
    return (MLPEstimator) set(seed, value);
  }

  public MLPEstimator setSyncInterval(int value) {
    return (MLPEstimator) set(syncInterval, value);
  }

  public MLPEstimator setSyncMode(String value) {
    return (MLPEstimator) set(syncMode, value);
  }

  public MLPEstimator setScaleLearningRate(boolean value) {
    return (MLPEstimator) set(scaleLearningRate, value);
  }

  public MLPEstimator setInitialWeightsPath(String value) {
    return (MLPEstimator) set(initialWeightsPath, value);
  }

  public MLPEstimator setEarlyStoppingPatience(int value) {
    return (MLPEstimator) set(earlyStoppingPatience, value);
  }

  public MLPEstimator setTol(double value) {
    return (MLPEstimator) set(tol, value);
  }

  public MLPEstimator setCheckpointDir(String value) {
    return (MLPEstimator) set(checkpointDir, value);
  }

  public MLPEstimator setCheckpointInterval(int value) {
    return (MLPEstimator) set(checkpointInterval, value);
  }

  public MLPEstimator setHandleInvalid(String value) {
    return (MLPEstimator) set(handleInvalid, value);
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
            (Double) $(weightDecay));
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
    // Spark's params-only reader, reached through its public trait (the class is private[ml]).
    return new DefaultParamsReadable<MLPEstimator>() {}.read();
  }

  public static MLPEstimator load(String path) {
    return read().load(path);
  }
}
