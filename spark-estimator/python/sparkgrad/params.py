"""The params of io.sparkgrad.spark.MLPEstimator and MLPModel, mirrored for PySpark.

Names, docs and defaults are copied from MLPEstimatorParams.java, OutputParams.java and the Java
params groups (FeaturesColsParams, ScheduleParams, ObjectiveParams) so that explainParams() reads
the same in both languages; the tests compare them param by param against the Java objects, so a
change on one side that is not made on the other fails the build. The type converters match the
Java param types (IntArrayParam -> toListInt, LongParam/IntParam -> toInt, DoubleParam -> toFloat,
StringArrayParam -> toListString, DoubleArrayParam -> toListFloat), which is what lets py4j hand
Java a value of the type it expects.
"""

from typing import List

from pyspark.ml.param import Param, Params, TypeConverters

__all__ = ["MLPModelParams", "MLPEstimatorParams", "ScheduleParams"]

_str = TypeConverters.toString
_int = TypeConverters.toInt
_float = TypeConverters.toFloat
_bool = TypeConverters.toBoolean


def _param(name: str, doc: str, converter) -> Param:
    """A class-level placeholder param; Params copies it onto each instance with its uid."""
    return Param(Params._dummy(), name, doc, typeConverter=converter)


class MLPModelParams(Params):
    """The params the estimator and the model share: where to read features, what to write."""

    featuresCol = _param(
        "featuresCol",
        "features column name (Vector, array<float> or array<double>); unused when"
        " featuresCols lists columns",
        _str,
    )
    featuresCols = _param(
        "featuresCols",
        "numeric columns (byte, short, int, long, float, double, or decimal of at most 15"
        " digits), one feature each in this order, as many as layers[0]; empty to read"
        " featuresCol instead (set only one of the two)",
        TypeConverters.toListString,
    )
    predictionCol = _param("predictionCol", "prediction column name; empty to omit", _str)
    probabilityCol = _param(
        "probabilityCol", "class probabilities column (bce, cross_entropy); empty to omit", _str
    )
    rawPredictionCol = _param(
        "rawPredictionCol",
        "raw prediction (logits) column (bce, cross_entropy); empty to omit",
        _str,
    )
    threshold = _param(
        "threshold", "bce: predict 1 when the probability exceeds it (in [0, 1])", _float
    )

    def __init__(self, *args):
        super().__init__(*args)
        self._setDefault(
            featuresCol="features",
            featuresCols=[],
            predictionCol="prediction",
            probabilityCol="probability",
            rawPredictionCol="rawPrediction",
            threshold=0.5,
        )

    def getFeaturesCol(self) -> str:
        return self.getOrDefault(self.featuresCol)

    def getFeaturesCols(self) -> List[str]:
        return self.getOrDefault(self.featuresCols)

    def getPredictionCol(self) -> str:
        return self.getOrDefault(self.predictionCol)

    def getProbabilityCol(self) -> str:
        return self.getOrDefault(self.probabilityCol)

    def getRawPredictionCol(self) -> str:
        return self.getOrDefault(self.rawPredictionCol)

    def getThreshold(self) -> float:
        return self.getOrDefault(self.threshold)


class ScheduleParams(Params):
    """The learning-rate schedule and gradient clipping params (Java: ScheduleParams.java)."""

    lrSchedule = _param(
        "lrSchedule",
        "learning rate per epoch: constant, step (x lrGamma every lrStepSize epochs),"
        " exponential (x lrGamma every epoch) or cosine (half a cosine from learningRate to"
        " minLearningRate over the epochs after warm-up) (one of constant, step, exponential,"
        " cosine)",
        _str,
    )
    lrStepSize = _param(
        "lrStepSize", "lrSchedule step: epochs between decays (>= 1); required for step", _int
    )
    lrGamma = _param(
        "lrGamma",
        "lrSchedule step or exponential: factor of each decay (in (0, 1]); required for"
        " exponential",
        _float,
    )
    minLearningRate = _param(
        "minLearningRate",
        "lrSchedule cosine: the rate it anneals to (>= 0, at most learningRate)",
        _float,
    )
    warmupEpochs = _param(
        "warmupEpochs",
        "epochs of linear warm-up before the schedule: epoch k < W trains at (k + 1) / (W + 1)"
        " of learningRate (>= 0, below maxEpochs; 0 = none)",
        _int,
    )
    maxGradNorm = _param(
        "maxGradNorm",
        "clip each step's gradients to this total 2-norm, as torch.nn.utils.clip_grad_norm_"
        " (>= 0; 0 = no clipping)",
        _float,
    )

    def __init__(self, *args):
        super().__init__(*args)
        # lrStepSize has no default, as in Java: lrSchedule step asks for it.
        self._setDefault(
            lrSchedule="constant", lrGamma=0.1, minLearningRate=0.0, warmupEpochs=0, maxGradNorm=0.0
        )

    def getLrSchedule(self) -> str:
        return self.getOrDefault(self.lrSchedule)

    def getLrStepSize(self) -> int:
        return self.getOrDefault(self.lrStepSize)

    def getLrGamma(self) -> float:
        return self.getOrDefault(self.lrGamma)

    def getMinLearningRate(self) -> float:
        return self.getOrDefault(self.minLearningRate)

    def getWarmupEpochs(self) -> int:
        return self.getOrDefault(self.warmupEpochs)

    def getMaxGradNorm(self) -> float:
        return self.getOrDefault(self.maxGradNorm)


class MLPEstimatorParams(MLPModelParams, ScheduleParams):
    """Everything MLPEstimator reads at fit time, with the Java defaults."""

    labelCol = _param("labelCol", "label column: Double, or Vector for multi-output mse", _str)
    weightCol = _param("weightCol", "sample weight column (>= 0); empty for equal weights", _str)
    validationIndicatorCol = _param(
        "validationIndicatorCol",
        "Boolean column: true marks rows held out for validation; empty for none",
        _str,
    )
    layers = _param(
        "layers",
        "sizes of the layers: input size, hidden sizes..., output size (each > 0, at least 2)",
        TypeConverters.toListInt,
    )
    activation = _param("activation", "hidden-layer activation (one of relu, sigmoid, tanh)", _str)
    loss = _param(
        "loss",
        "mse (regression), bce (binary) or cross_entropy (multi-class)"
        " (one of mse, bce, cross_entropy)",
        _str,
    )
    optimizer = _param("optimizer", "sgd, adam or adamw (one of sgd, adam, adamw)", _str)
    learningRate = _param("learningRate", "learning rate (> 0)", _float)
    momentum = _param("momentum", "SGD momentum (>= 0)", _float)
    nesterov = _param("nesterov", "SGD Nesterov momentum (needs momentum > 0)", _bool)
    weightDecay = _param(
        "weightDecay",
        "L2 penalty for sgd and adam, decoupled decay for adamw (>= 0); unset: 0 for sgd and"
        " adam, 0.01 for adamw (PyTorch's defaults)",
        _float,
    )
    batchSize = _param("batchSize", "rows per mini-batch on each worker (> 0)", _int)
    maxEpochs = _param("maxEpochs", "passes over the data (>= 0)", _int)
    shuffle = _param("shuffle", "reshuffle each worker's rows every epoch (seeded)", _bool)
    seed = _param("seed", "random seed", _int)
    numWorkers = _param(
        "numWorkers",
        "data-parallel workers, each a Spark task over its own share of the rows (>= 0; 0 ="
        " auto: the session's task slots, fewer when the data is small)",
        _int,
    )
    syncInterval = _param(
        "syncInterval",
        "steps each worker takes between combining states (>= 0; 0 = chosen from the number"
        " of workers)",
        _int,
    )
    syncMode = _param(
        "syncMode",
        "average_weights (local SGD, rounds of syncInterval steps) or average_gradients"
        " (synchronous SGD, one Spark job per step) (one of average_weights, average_gradients)",
        _str,
    )
    scaleLearningRate = _param(
        "scaleLearningRate",
        "with sgd over N workers, step at N x learningRate after a warm-up (the linear"
        " scaling rule), since combining N workers divides each step's effect by N",
        _bool,
    )
    initialWeightsPath = _param(
        "initialWeightsPath",
        "safetensors state dict (PyTorch Sequential names) to start from; empty for random init",
        _str,
    )
    earlyStoppingPatience = _param(
        "earlyStoppingPatience",
        "epochs without validation improvement before stopping (>= 0; 0 = never)",
        _int,
    )
    tol = _param(
        "tol",
        "minimum decrease of the validation loss that counts as improvement (>= 0)",
        _float,
    )
    handleInvalid = _param(
        "handleInvalid",
        "rows with null, NaN or infinite features, wrong vector lengths or invalid labels or"
        " weights: error stops the fit naming the row; skip drops them and counts them in the"
        " summary (one of error, skip)",
        _str,
    )
    checkpointDir = _param(
        "checkpointDir",
        "folder (any Hadoop file system) for checkpoints; a fit with the same params resumes"
        " from the newest one; empty for none",
        _str,
    )
    checkpointInterval = _param("checkpointInterval", "epochs between checkpoints (>= 1)", _int)
    # From ObjectiveParams.java.
    dropout = _param(
        "dropout",
        "dropout rate after each hidden activation during training, as torch.nn.Dropout (in"
        " [0, 1); 0 = off); never applied by transform",
        _float,
    )
    classWeights = _param(
        "classWeights",
        "one weight per class (each > 0): cross_entropy, one per output, as"
        " CrossEntropyLoss(weight=...); bce, [negative, positive] as per-row weights;"
        " times weightCol when set; empty = off",
        TypeConverters.toListFloat,
    )
    balancedClassWeights = _param(
        "balancedClassWeights",
        "class weights from the training rows' class counts, n_samples / (n_classes *"
        " count_c) as scikit-learn's 'balanced' (rows counted by weightCol when set);"
        " excludes classWeights",
        _bool,
    )

    def __init__(self, *args):
        super().__init__(*args)
        # layers has no default, as in Java: the fit names it when it is missing. Nor has
        # weightDecay: unset, it is PyTorch's default for the optimizer (getWeightDecay).
        self._setDefault(
            labelCol="label",
            weightCol="",
            validationIndicatorCol="",
            activation="relu",
            loss="cross_entropy",
            optimizer="sgd",
            learningRate=0.01,
            momentum=0.0,
            nesterov=False,
            batchSize=64,
            maxEpochs=10,
            shuffle=True,
            seed=0,
            numWorkers=0,
            syncInterval=0,
            syncMode="average_weights",
            scaleLearningRate=True,
            initialWeightsPath="",
            earlyStoppingPatience=0,
            tol=0.0,
            handleInvalid="error",
            checkpointDir="",
            checkpointInterval=1,
            dropout=0.0,
            classWeights=[],
            balancedClassWeights=False,
        )

    def getLabelCol(self) -> str:
        return self.getOrDefault(self.labelCol)

    def getWeightCol(self) -> str:
        return self.getOrDefault(self.weightCol)

    def getValidationIndicatorCol(self) -> str:
        return self.getOrDefault(self.validationIndicatorCol)

    def getLayers(self) -> List[int]:
        return self.getOrDefault(self.layers)

    def getActivation(self) -> str:
        return self.getOrDefault(self.activation)

    def getLoss(self) -> str:
        return self.getOrDefault(self.loss)

    def getOptimizer(self) -> str:
        return self.getOrDefault(self.optimizer)

    def getLearningRate(self) -> float:
        return self.getOrDefault(self.learningRate)

    def getMomentum(self) -> float:
        return self.getOrDefault(self.momentum)

    def getNesterov(self) -> bool:
        return self.getOrDefault(self.nesterov)

    def getWeightDecay(self) -> float:
        """The value set (an explicit 0 included), else 0.01 for adamw (torch.optim.AdamW's
        default) and 0 for sgd and adam, as the Java estimator resolves it."""
        if self.isDefined(self.weightDecay):
            return self.getOrDefault(self.weightDecay)
        return 0.01 if self.getOptimizer() == "adamw" else 0.0

    def getBatchSize(self) -> int:
        return self.getOrDefault(self.batchSize)

    def getMaxEpochs(self) -> int:
        return self.getOrDefault(self.maxEpochs)

    def getShuffle(self) -> bool:
        return self.getOrDefault(self.shuffle)

    def getSeed(self) -> int:
        return self.getOrDefault(self.seed)

    def getNumWorkers(self) -> int:
        return self.getOrDefault(self.numWorkers)

    def getSyncInterval(self) -> int:
        return self.getOrDefault(self.syncInterval)

    def getSyncMode(self) -> str:
        return self.getOrDefault(self.syncMode)

    def getScaleLearningRate(self) -> bool:
        return self.getOrDefault(self.scaleLearningRate)

    def getInitialWeightsPath(self) -> str:
        return self.getOrDefault(self.initialWeightsPath)

    def getEarlyStoppingPatience(self) -> int:
        return self.getOrDefault(self.earlyStoppingPatience)

    def getTol(self) -> float:
        return self.getOrDefault(self.tol)

    def getHandleInvalid(self) -> str:
        return self.getOrDefault(self.handleInvalid)

    def getCheckpointDir(self) -> str:
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> int:
        return self.getOrDefault(self.checkpointInterval)

    def getDropout(self) -> float:
        return self.getOrDefault(self.dropout)

    def getClassWeights(self) -> List[float]:
        return self.getOrDefault(self.classWeights)

    def getBalancedClassWeights(self) -> bool:
        return self.getOrDefault(self.balancedClassWeights)
