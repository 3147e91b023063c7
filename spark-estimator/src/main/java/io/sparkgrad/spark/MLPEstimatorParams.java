package io.sparkgrad.spark;

import io.sparkgrad.engine.optim.AdamW;
import io.sparkgrad.engine.train.LossKind;
import io.sparkgrad.engine.train.MlpSpec;
import io.sparkgrad.engine.train.OptimizerSpec;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * The estimator's params, declared as final fields with their validators and documented ranges, and
 * one block of defaults; those it shares with the model are in {@link OutputParams}. Setters live
 * in {@link MLPEstimator}.
 */
public abstract class MLPEstimatorParams extends Estimator<MLPModel> {
  private final String uid;
  private final OutputParams outputParams;
  private final ObjectiveParams objectiveParams;
  private final WorkerParams workerParams;
  public final Param<String> labelCol;
  public final Param<String> weightCol;
  public final Param<String> validationIndicatorCol;
  public final IntArrayParam layers;
  public final Param<String> activation;
  public final Param<String> loss;
  public final Param<String> optimizer;
  public final DoubleParam learningRate;
  public final DoubleParam momentum;
  public final BooleanParam nesterov;
  public final DoubleParam weightDecay;
  public final IntParam batchSize;
  public final IntParam maxEpochs;
  public final BooleanParam shuffle;
  public final LongParam seed;
  public final IntParam numWorkers;
  public final IntParam syncInterval;
  public final Param<String> syncMode;
  public final BooleanParam scaleLearningRate;
  public final Param<String> initialWeightsPath;
  public final IntParam earlyStoppingPatience;
  public final DoubleParam tol;
  public final Param<String> handleInvalid;
  public final Param<String> checkpointDir;
  public final IntParam checkpointInterval;

  protected MLPEstimatorParams(String uid) {
    // Params need the uid at construction, so they are made here rather than in initialisers.
    this.uid = uid;
    outputParams = new OutputParams(this);
    objectiveParams = new ObjectiveParams(this);
    labelCol = strParam("labelCol", "label column: Double, or Vector for multi-output mse");
    weightCol = strParam("weightCol", "sample weight column (>= 0); empty for equal weights");
    validationIndicatorCol =
        strParam(
            "validationIndicatorCol",
            "Boolean column: true marks rows held out for validation; empty for none");
    layers =
        new IntArrayParam(
            this,
            "layers",
            "sizes of the layers: input size, hidden sizes..., output size (each > 0, at least 2)",
            (scala.Function1<int[], Object>) MLPEstimatorParams::validLayers);
    activation =
        choice("activation", "hidden-layer activation", MlpSpec.ACTIVATIONS.toArray(String[]::new));
    loss =
        choice(
            "loss",
            "mse (regression), bce (binary) or cross_entropy (multi-class)",
            LossKind.NAMES.toArray(String[]::new));
    optimizer =
        choice("optimizer", "sgd, adam or adamw", OptimizerSpec.NAMES.toArray(String[]::new));
    learningRate =
        new DoubleParam(this, "learningRate", "learning rate (> 0)", ParamValidators.gt(0));
    momentum = new DoubleParam(this, "momentum", "SGD momentum (>= 0)", ParamValidators.gtEq(0));
    nesterov = new BooleanParam(this, "nesterov", "SGD Nesterov momentum (needs momentum > 0)");
    weightDecay =
        new DoubleParam(
            this,
            "weightDecay",
            "L2 penalty for sgd and adam, decoupled decay for adamw (>= 0); unset: 0 for sgd and"
                + " adam, 0.01 for adamw (PyTorch's defaults)",
            ParamValidators.gtEq(0));
    batchSize =
        new IntParam(
            this, "batchSize", "rows per mini-batch on each worker (> 0)", ParamValidators.gt(0));
    maxEpochs =
        new IntParam(this, "maxEpochs", "passes over the data (>= 0)", ParamValidators.gtEq(0));
    shuffle =
        new BooleanParam(this, "shuffle", "reshuffle each worker's rows every epoch (seeded)");
    seed = new LongParam(this, "seed", "random seed");
    workerParams = new WorkerParams(this);
    numWorkers = workerParams.numWorkers;
    syncInterval = workerParams.syncInterval;
    syncMode = workerParams.syncMode;
    scaleLearningRate = workerParams.scaleLearningRate;
    initialWeightsPath =
        strParam(
            "initialWeightsPath",
            "safetensors state dict (PyTorch Sequential names) to start from; empty for random"
                + " init");
    earlyStoppingPatience =
        new IntParam(
            this,
            "earlyStoppingPatience",
            "epochs without validation improvement before stopping (>= 0; 0 = never)",
            ParamValidators.gtEq(0));
    tol =
        new DoubleParam(
            this,
            "tol",
            "minimum decrease of the validation loss that counts as improvement (>= 0)",
            ParamValidators.gtEq(0));
    handleInvalid =
        choice(
            "handleInvalid",
            "rows with null, NaN or infinite features, wrong vector lengths or invalid labels or"
                + " weights: error stops the fit naming the row; skip drops them and counts them in"
                + " the summary",
            new String[] {"error", "skip"});
    checkpointDir =
        strParam(
            "checkpointDir",
            "folder (any Hadoop file system) for checkpoints; a fit with the same params resumes"
                + " from the newest one; empty for none");
    checkpointInterval =
        new IntParam(
            this,
            "checkpointInterval",
            "epochs between checkpoints (>= 1)",
            ParamValidators.gtEq(1));
    setDefault(labelCol, "label");
    setDefault(weightCol, "");
    setDefault(validationIndicatorCol, "");
    setDefault(activation, "relu");
    setDefault(loss, "cross_entropy");
    setDefault(optimizer, "sgd");
    setDefault(learningRate, 0.01);
    setDefault(momentum, 0.0);
    setDefault(nesterov, false);
    setDefault(batchSize, 64);
    setDefault(maxEpochs, 10);
    setDefault(shuffle, true);
    setDefault(seed, 0L);
    setDefault(initialWeightsPath, "");
    setDefault(earlyStoppingPatience, 0);
    setDefault(tol, 0.0);
    setDefault(handleInvalid, "error");
    setDefault(checkpointDir, "");
    setDefault(checkpointInterval, 1);
  }

  private static Object validLayers(int[] sizes) {
    return sizes.length >= 2 && java.util.Arrays.stream(sizes).allMatch(s -> s > 0);
  }

  @Override
  public String uid() {
    return uid;
  }

  private Param<String> strParam(String name, String doc) {
    return new Param<>(this, name, doc);
  }

  private Param<String> choice(String name, String doc, String[] allowed) {
    return new Param<>(
        this,
        name,
        doc + " (one of " + String.join(", ", allowed) + ")",
        ParamValidators.inArray(allowed));
  }

  // Spark finds params through public no-argument methods returning Param; the shared
  // ones through HasOutputParams, which MLPEstimator implements with this.
  public OutputParams outputParams() {
    return outputParams;
  }

  public ObjectiveParams objectiveParams() {
    return objectiveParams;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public Param<String> validationIndicatorCol() {
    return validationIndicatorCol;
  }

  public IntArrayParam layers() {
    return layers;
  }

  public Param<String> activation() {
    return activation;
  }

  public Param<String> loss() {
    return loss;
  }

  public Param<String> optimizer() {
    return optimizer;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public DoubleParam momentum() {
    return momentum;
  }

  public BooleanParam nesterov() {
    return nesterov;
  }

  public DoubleParam weightDecay() {
    return weightDecay;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam maxEpochs() {
    return maxEpochs;
  }

  public BooleanParam shuffle() {
    return shuffle;
  }

  public LongParam seed() {
    return seed;
  }

  public IntParam numWorkers() {
    return numWorkers;
  }

  public IntParam syncInterval() {
    return syncInterval;
  }

  public Param<String> syncMode() {
    return syncMode;
  }

  public BooleanParam scaleLearningRate() {
    return scaleLearningRate;
  }

  public Param<String> initialWeightsPath() {
    return initialWeightsPath;
  }

  public IntParam earlyStoppingPatience() {
    return earlyStoppingPatience;
  }

  public DoubleParam tol() {
    return tol;
  }

  public Param<String> handleInvalid() {
    return handleInvalid;
  }

  public Param<String> checkpointDir() {
    return checkpointDir;
  }

  public IntParam checkpointInterval() {
    return checkpointInterval;
  }

  // ---- getters ------------------------------------------------------------------------------

  public String getLabelCol() {
    return $(labelCol);
  }

  public String getWeightCol() {
    return $(weightCol);
  }

  public String getValidationIndicatorCol() {
    return $(validationIndicatorCol);
  }

  public int[] getLayers() {
    return $(layers).clone();
  }

  public String getActivation() {
    return $(activation);
  }

  public String getLoss() {
    return $(loss);
  }

  public String getOptimizer() {
    return $(optimizer);
  }

  public double getLearningRate() {
    return (Double) $(learningRate);
  }

  public double getMomentum() {
    return (Double) $(momentum);
  }

  public boolean getNesterov() {
    return (Boolean) $(nesterov);
  }

  /**
   * The weight decay a fit uses: the value set (an explicit 0 included), else PyTorch's default for
   * the optimizer, {@link AdamW#DEFAULT_WEIGHT_DECAY} for adamw and 0 for sgd and adam. The param
   * has no default of its own since that default depends on the optimizer.
   */
  public double getWeightDecay() {
    if (isDefined(weightDecay)) {
      return (Double) $(weightDecay);
    }
    return getOptimizer().equals("adamw") ? AdamW.DEFAULT_WEIGHT_DECAY : 0.0;
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  public int getMaxEpochs() {
    return (Integer) $(maxEpochs);
  }

  public boolean getShuffle() {
    return (Boolean) $(shuffle);
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public int getNumWorkers() {
    return (Integer) $(numWorkers);
  }

  public int getSyncInterval() {
    return (Integer) $(syncInterval);
  }

  public String getSyncMode() {
    return $(syncMode);
  }

  public boolean getScaleLearningRate() {
    return (Boolean) $(scaleLearningRate);
  }

  public String getInitialWeightsPath() {
    return $(initialWeightsPath);
  }

  public int getEarlyStoppingPatience() {
    return (Integer) $(earlyStoppingPatience);
  }

  public double getTol() {
    return (Double) $(tol);
  }

  public String getHandleInvalid() {
    return $(handleInvalid);
  }

  public String getCheckpointDir() {
    return $(checkpointDir);
  }

  public int getCheckpointInterval() {
    return (Integer) $(checkpointInterval);
  }
}
