package io.sparkgrad.spark;

import io.sparkgrad.engine.Generator;
import io.sparkgrad.engine.train.ClassWeights;
import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import io.sparkgrad.engine.train.TrainSettings;
import io.sparkgrad.engine.train.TrainState;
import io.sparkgrad.spark.scoring.FeatureColumns;
import io.sparkgrad.spark.training.ColumnPlan;
import io.sparkgrad.spark.training.SparkFit;
import java.util.LinkedHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a multilayer perceptron, PyTorch-style, on a DataFrame: mini-batches of {@code batchSize}
 * rows, SGD with momentum, Adam or AdamW, and a loss chosen by param (mse, bce or cross_entropy).
 *
 * <p>The rows are dealt to {@code numWorkers} workers by a seeded shuffle of their content, so the
 * result does not depend on how the DataFrame is partitioned or ordered. One worker is exactly the
 * engine's training loop. N workers each take {@code syncInterval} steps on their own rows, then
 * their states are combined (or their gradients every step, with average_gradients); the engine's
 * scaling rule sets the learning rate and interval from N.
 *
 * <p>{@code dropout} and the class weights ({@link ObjectiveParams}) change what training
 * optimises, never the model's format or how it scores.
 */
public class MLPEstimator extends MLPEstimatorParams
    implements HasOutputParams<MLPEstimator>,
        HasFeaturesCols<MLPEstimator>,
        HasScheduleParams<MLPEstimator>,
        HasObjectiveParams<MLPEstimator>,
        DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private final ScheduleParams scheduleParams;
  private final FeaturesColsParams featuresColsParams;

  public MLPEstimator() {
    this(Identifiable.randomUID("mlp"));
  }

  public MLPEstimator(String uid) {
    super(uid);
    featuresColsParams = new FeaturesColsParams(this);
    scheduleParams = new ScheduleParams(this);
  }

  @Override
  public FeaturesColsParams featuresColsParams() {
    return featuresColsParams;
  }

  @Override
  public ScheduleParams scheduleParams() {
    return scheduleParams;
  }

  // ---- setters (shared params: HasOutputParams; schedule: HasScheduleParams) ---------------

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

  public MLPEstimator setNumWorkers(int value) {
    return (MLPEstimator) set(numWorkers, value);
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

  /** The params resolved once into settings and the columns to read, validated against a schema. */
  private record FitPlan(TrainSettings settings, ColumnPlan columns) {}

  @Override
  public MLPModel fit(Dataset<?> dataset) {
    FitPlan plan = plan(dataset.schema());
    outputSchema(dataset.schema(), plan); // output columns that clash fail before any job
    TrainSettings s = plan.settings();
    SparkFit.Result r =
        SparkFit.run(
            dataset,
            plan.columns(),
            s,
            getNumWorkers(),
            initialState(s, dataset.sparkSession().sparkContext().hadoopConfiguration()),
            checkpointSpec(s));
    MLPModel model = new MLPModel(uid(), s.spec(), r.state().weights()).setSummary(r.summary());
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  /**
   * The model's {@link MLPModel#estimatedSize} from the params and the schema alone (no job runs),
   * after the same checks as {@link #fit}. A Spark Connect server (4.1 and later) asks for this
   * before fitting, to refuse a model its cache could not hold.
   */
  public long estimateModelSize(Dataset<?> dataset) {
    return MLPModel.estimatedSize(plan(dataset.schema()).settings().spec());
  }

  private SparkFit.CheckpointSpec checkpointSpec(TrainSettings s) {
    if (getCheckpointDir().isEmpty()) {
      return null;
    }
    // A checkpoint resumes only the same fit: same params and starting weights (and data, which
    // SparkFit adds).
    return new SparkFit.CheckpointSpec(
        getCheckpointDir(),
        getCheckpointInterval(),
        s + "|initialWeightsPath=" + getInitialWeightsPath());
  }

  private FitPlan plan(StructType schema) {
    String labelType = SchemaChecks.require(schema, $(labelCol), "labelCol").simpleString();
    boolean labelIsVector = labelType.equals("vector");
    if (!$(loss).equals(LossKind.MSE.paramName()) || !labelIsVector) {
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
    TrainSettings settings = settings();
    MlpSpec spec = settings.spec();
    FeatureColumns features = SchemaChecks.requireFeatures(schema, this, spec.inputSize());
    if (!labelIsVector && spec.targetSize() != 1) {
      throw new InvalidInputException(
          "Column '"
              + $(labelCol)
              + "' holds one number per row, but loss mse with "
              + spec.targetSize()
              + " outputs needs a Vector label of that length; set the last entry of layers to 1"
              + " or assemble the targets into a Vector column.");
    }
    ColumnPlan columns =
        new ColumnPlan(
            features,
            $(labelCol),
            $(weightCol),
            $(validationIndicatorCol),
            spec.loss(),
            spec.inputSize(),
            spec.outputSize(),
            labelIsVector,
            getHandleInvalid().equals("skip"));
    return new FitPlan(settings, columns);
  }

  /** The params resolved into one immutable settings record. */
  TrainSettings settings() {
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
    return new TrainSettings(
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
        (Double) $(tol),
        scheduleParams.resolve(this, opt.learningRate(), (Integer) $(maxEpochs)),
        getMaxGradNorm(),
        getDropout(),
        classWeightsSetting(spec));
  }

  /** classWeights or balancedClassWeights as the engine's class weights; null for neither. */
  private ClassWeights classWeightsSetting(MlpSpec spec) {
    double[] given = getClassWeights();
    if (given.length > 0 && getBalancedClassWeights()) {
      throw new InvalidInputException(
          "Params classWeights and balancedClassWeights are both set; set one of them (unset"
              + " balancedClassWeights to use the given weights).");
    }
    ClassWeights weights;
    try {
      weights =
          getBalancedClassWeights()
              ? ClassWeights.balanced()
              : given.length > 0 ? ClassWeights.of(given) : null;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "Param classWeights is invalid: " + e.getMessage() + "; fix the weights.");
    }
    String problem = weights == null ? null : weights.problem(spec.loss(), spec.outputSize());
    if (problem != null) {
      String param = getBalancedClassWeights() ? "balancedClassWeights" : "classWeights";
      throw new InvalidInputException(
          "Param "
              + param
              + " does not fit: "
              + problem
              + (spec.loss() == LossKind.MSE
                  ? "; unset it, or use weightCol for sample weights."
                  : "; give one weight per class."));
    }
    return weights;
  }

  private TrainState initialState(TrainSettings s, Configuration conf) {
    LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
    if ($(initialWeightsPath).isEmpty()) {
      s.spec()
          .build(new Generator(s.seed()))
          .namedParameters()
          .forEach((k, v) -> weights.put(k, v.data()));
    } else {
      weights.putAll(InitialWeights.read($(initialWeightsPath), s.spec(), conf));
    }
    return new TrainState(weights, new LinkedHashMap<>());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, plan(schema));
  }

  /** The schema after the fitted model's transform, checked as the model will check it. */
  private StructType outputSchema(StructType schema, FitPlan plan) {
    MLPModel probe = new MLPModel(uid(), plan.settings().spec(), new LinkedHashMap<>());
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
