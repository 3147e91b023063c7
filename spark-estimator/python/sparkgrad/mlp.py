"""MLPEstimator and MLPModel for PySpark: wrappers over the Java stages io.sparkgrad.spark.*.

Built as pyspark.ml.classification.MultilayerPerceptronClassifier is: the Python object holds the
params, copies them into its Java twin (_java_obj) before fit/transform/save, and the JVM does the
work, so executors need no Python ML stack.

PySpark maps Java and Python class names by string replacement ("org.apache.spark" <->
"pyspark"), which cannot name a third-party stage. JAVA_CLASSES below is the one place where
sparkgrad's mapping lives; creating the Java twin, reading a saved stage, and loading our stages
inside a Pipeline, CrossValidator or Spark Connect session all go through it.
"""

import sys
import types
from typing import Any, Dict, List, Optional, Type

from pyspark import keyword_only
from pyspark.ml.linalg import Vector
from pyspark.ml.util import (
    HasTrainingSummary,
    JavaMLReadable,
    JavaMLReader,
    JavaMLWritable,
    MLReader,
)
from pyspark.ml.wrapper import JavaEstimator, JavaModel
from pyspark.sql import DataFrame
from pyspark.sql.utils import is_remote

from sparkgrad.jvm import check_jvm_side
from sparkgrad.params import MLPEstimatorParams, MLPModelParams
from sparkgrad.summary import TrainingSummary, weights_from_java

__all__ = ["MLPEstimator", "MLPModel", "JAVA_CLASSES", "PYTHON_CLASSES", "java_class_name"]


class MLPEstimator(
    JavaEstimator["MLPModel"],
    MLPEstimatorParams,
    JavaMLReadable["MLPEstimator"],
    JavaMLWritable,
):
    """Trains a multilayer perceptron, PyTorch-style, on a DataFrame.

    The rows are dealt to numWorkers workers by a seeded shuffle of their content, so the result
    does not depend on the DataFrame's partitioning; each worker takes mini-batches of batchSize
    rows; sgd (momentum, nesterov), adam or adamw; loss mse, bce or cross_entropy. Workers combine
    their states every syncInterval steps (chosen from numWorkers by default).
    weightDecay left unset is PyTorch's default for the optimizer: 0.01 for adamw
    (torch.optim.AdamW), 0 for sgd and adam. dropout applies during training only;
    classWeights (or balancedClassWeights) weigh each row by its class, as
    torch.nn.CrossEntropyLoss(weight=...). See io.sparkgrad.spark.MLPEstimator for the details.

    >>> mlp = MLPEstimator(layers=[4, 8, 3], maxEpochs=20, seed=1)   # doctest: +SKIP
    >>> model = mlp.fit(train)                                       # doctest: +SKIP
    """

    @keyword_only
    def __init__(
        self,
        *,
        featuresCol: str = "features",
        featuresCols: List[str] = [],  # never shared: keyword_only sets only names passed
        labelCol: str = "label",
        weightCol: str = "",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        validationIndicatorCol: str = "",
        layers: Optional[List[int]] = None,
        activation: str = "relu",
        loss: str = "cross_entropy",
        optimizer: str = "sgd",
        learningRate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weightDecay: Optional[float] = None,
        batchSize: int = 64,
        maxEpochs: int = 10,
        shuffle: bool = True,
        seed: int = 0,
        numWorkers: int = 0,
        syncInterval: int = 0,
        syncMode: str = "average_weights",
        scaleLearningRate: bool = True,
        initialWeightsPath: str = "",
        earlyStoppingPatience: int = 0,
        tol: float = 0.0,
        threshold: float = 0.5,
        handleInvalid: str = "error",
        checkpointDir: str = "",
        checkpointInterval: int = 1,
        lrSchedule: str = "constant",
        lrStepSize: Optional[int] = None,
        lrGamma: float = 0.1,
        minLearningRate: float = 0.0,
        warmupEpochs: int = 0,
        maxGradNorm: float = 0.0,
        dropout: float = 0.0,
        classWeights: List[float] = [],  # never mutated: keyword_only passes only what is named
        balancedClassWeights: bool = False,
    ):
        super().__init__()
        if not is_remote():
            check_jvm_side()
        self._java_obj = self._new_java_obj(java_class_name(type(self)), self.uid)
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        featuresCols: List[str] = [],
        labelCol: str = "label",
        weightCol: str = "",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        validationIndicatorCol: str = "",
        layers: Optional[List[int]] = None,
        activation: str = "relu",
        loss: str = "cross_entropy",
        optimizer: str = "sgd",
        learningRate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weightDecay: Optional[float] = None,
        batchSize: int = 64,
        maxEpochs: int = 10,
        shuffle: bool = True,
        seed: int = 0,
        numWorkers: int = 0,
        syncInterval: int = 0,
        syncMode: str = "average_weights",
        scaleLearningRate: bool = True,
        initialWeightsPath: str = "",
        earlyStoppingPatience: int = 0,
        tol: float = 0.0,
        threshold: float = 0.5,
        handleInvalid: str = "error",
        checkpointDir: str = "",
        checkpointInterval: int = 1,
        lrSchedule: str = "constant",
        lrStepSize: Optional[int] = None,
        lrGamma: float = 0.1,
        minLearningRate: float = 0.0,
        warmupEpochs: int = 0,
        maxGradNorm: float = 0.0,
        dropout: float = 0.0,
        classWeights: List[float] = [],  # never mutated: keyword_only passes only what is named
        balancedClassWeights: bool = False,
    ) -> "MLPEstimator":
        """Sets the given params; those not named keep their value."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model: Any) -> "MLPModel":
        return MLPModel(java_model)

    @classmethod
    def read(cls) -> MLReader["MLPEstimator"]:
        return _reader(cls)

    def setFeaturesCol(self, value: str) -> "MLPEstimator":
        return self._set(featuresCol=value)

    def setFeaturesCols(self, value: List[str]) -> "MLPEstimator":
        """Reads the features from these numeric columns, one feature each, in this order."""
        return self._set(featuresCols=value)

    def setLabelCol(self, value: str) -> "MLPEstimator":
        return self._set(labelCol=value)

    def setWeightCol(self, value: str) -> "MLPEstimator":
        return self._set(weightCol=value)

    def setPredictionCol(self, value: str) -> "MLPEstimator":
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value: str) -> "MLPEstimator":
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str) -> "MLPEstimator":
        return self._set(rawPredictionCol=value)

    def setValidationIndicatorCol(self, value: str) -> "MLPEstimator":
        return self._set(validationIndicatorCol=value)

    def setLayers(self, value: List[int]) -> "MLPEstimator":
        return self._set(layers=value)

    def setActivation(self, value: str) -> "MLPEstimator":
        return self._set(activation=value)

    def setLoss(self, value: str) -> "MLPEstimator":
        return self._set(loss=value)

    def setOptimizer(self, value: str) -> "MLPEstimator":
        return self._set(optimizer=value)

    def setLearningRate(self, value: float) -> "MLPEstimator":
        return self._set(learningRate=value)

    def setMomentum(self, value: float) -> "MLPEstimator":
        return self._set(momentum=value)

    def setNesterov(self, value: bool) -> "MLPEstimator":
        return self._set(nesterov=value)

    def setWeightDecay(self, value: float) -> "MLPEstimator":
        return self._set(weightDecay=value)

    def setBatchSize(self, value: int) -> "MLPEstimator":
        return self._set(batchSize=value)

    def setMaxEpochs(self, value: int) -> "MLPEstimator":
        return self._set(maxEpochs=value)

    def setShuffle(self, value: bool) -> "MLPEstimator":
        return self._set(shuffle=value)

    def setSeed(self, value: int) -> "MLPEstimator":
        return self._set(seed=value)

    def setNumWorkers(self, value: int) -> "MLPEstimator":
        return self._set(numWorkers=value)

    def setSyncInterval(self, value: int) -> "MLPEstimator":
        return self._set(syncInterval=value)

    def setSyncMode(self, value: str) -> "MLPEstimator":
        return self._set(syncMode=value)

    def setDropout(self, value: float) -> "MLPEstimator":
        return self._set(dropout=value)

    def setClassWeights(self, value: List[float]) -> "MLPEstimator":
        return self._set(classWeights=value)

    def setBalancedClassWeights(self, value: bool) -> "MLPEstimator":
        return self._set(balancedClassWeights=value)

    def setScaleLearningRate(self, value: bool) -> "MLPEstimator":
        return self._set(scaleLearningRate=value)

    def setInitialWeightsPath(self, value: str) -> "MLPEstimator":
        return self._set(initialWeightsPath=value)

    def setEarlyStoppingPatience(self, value: int) -> "MLPEstimator":
        return self._set(earlyStoppingPatience=value)

    def setTol(self, value: float) -> "MLPEstimator":
        return self._set(tol=value)

    def setHandleInvalid(self, value: str) -> "MLPEstimator":
        return self._set(handleInvalid=value)

    def setLrSchedule(self, value: str) -> "MLPEstimator":
        return self._set(lrSchedule=value)

    def setLrStepSize(self, value: int) -> "MLPEstimator":
        return self._set(lrStepSize=value)

    def setLrGamma(self, value: float) -> "MLPEstimator":
        return self._set(lrGamma=value)

    def setMinLearningRate(self, value: float) -> "MLPEstimator":
        return self._set(minLearningRate=value)

    def setWarmupEpochs(self, value: int) -> "MLPEstimator":
        return self._set(warmupEpochs=value)

    def setMaxGradNorm(self, value: float) -> "MLPEstimator":
        return self._set(maxGradNorm=value)

    def setCheckpointDir(self, value: str) -> "MLPEstimator":
        return self._set(checkpointDir=value)

    def setCheckpointInterval(self, value: int) -> "MLPEstimator":
        return self._set(checkpointInterval=value)

    def setThreshold(self, value: float) -> "MLPEstimator":
        return self._set(threshold=value)


class MLPModel(
    JavaModel,
    MLPModelParams,
    JavaMLReadable["MLPModel"],
    JavaMLWritable,
    HasTrainingSummary[TrainingSummary],
):
    """A fitted MLP: transform() appends rawPrediction, probability and prediction columns
    (cross_entropy, bce) or prediction (mse), as io.sparkgrad.spark.MLPModel does.

    hasSummary and summary come from PySpark's HasTrainingSummary, as for Spark's own models, so
    they work in a classic session and over Spark Connect alike."""

    @classmethod
    def read(cls) -> MLReader["MLPModel"]:
        return _reader(cls)

    def setFeaturesCol(self, value: str) -> "MLPModel":
        return self._set(featuresCol=value)

    def setFeaturesCols(self, value: List[str]) -> "MLPModel":
        """Scores from these numeric columns, one feature each, in this order."""
        return self._set(featuresCols=value)

    def setPredictionCol(self, value: str) -> "MLPModel":
        return self._set(predictionCol=value)

    def setProbabilityCol(self, value: str) -> "MLPModel":
        return self._set(probabilityCol=value)

    def setRawPredictionCol(self, value: str) -> "MLPModel":
        return self._set(rawPredictionCol=value)

    def setThreshold(self, value: float) -> "MLPModel":
        return self._set(threshold=value)

    @property
    def layers(self) -> List[int]:
        """Layer sizes: input size, hidden sizes..., output size."""
        self._require_classic("layers", AttributeError)
        return [int(n) for n in self._call_java("getLayers")]

    @property
    def numFeatures(self) -> int:
        self._require_classic("numFeatures", AttributeError)
        return int(self._call_java("numFeatures"))

    @property
    def summary(self) -> TrainingSummary:
        """Per-epoch losses, validation metric and timings of the fit that made this model."""
        if is_remote():
            # PySpark 4.2 attaches the summary at fit (try_remote_fit); a client that returns the
            # summary's server reference instead (a "<model id>.summary" string) gets it wrapped.
            found = super().summary
            return found if isinstance(found, TrainingSummary) else TrainingSummary(found)
        return TrainingSummary(self._java_obj.summary())

    @property
    def _summaryCls(self) -> type:
        return TrainingSummary

    def _summary_dataset(self, train_dataset: DataFrame) -> DataFrame:
        # The data a Connect server passes to loadSummary, which does not read it.
        return train_dataset

    def weights(self) -> Dict[str, Any]:
        """State dict by PyTorch Sequential names: float32 numpy arrays, "0.weight" as (out, in)."""
        self._require_classic("weights()", NotImplementedError)
        return weights_from_java(self._sc(), self._java_obj.weights())

    def predict(self, value: Vector) -> float:
        """The prediction column's value for one feature vector."""
        self._require_classic("predict()", NotImplementedError)
        return float(self._call_java("predict", value))

    def predictRaw(self, value: Vector) -> Vector:
        """Logits for classification, outputs for mse, for one feature vector."""
        self._require_classic("predictRaw()", NotImplementedError)
        return self._call_java("predictRaw", value)

    def saveOnnx(self, path: str, overwrite: bool = False) -> None:
        """Writes the model as an ONNX file (opset 17) for ONNX Runtime and other ONNX runtimes.

        Input "features": float32 [batch, numFeatures]. Outputs are named after this model's
        output columns and hold what transform() appends: rawPrediction, probability and
        prediction (int64 class index) for bce and cross_entropy; prediction for mse. An existing
        file is refused unless overwrite is True. Any Hadoop path works (local, HDFS, S3A...).
        """
        self._require_classic("saveOnnx()", NotImplementedError)
        self._transfer_params_to_java()  # column names and threshold set from Python
        self._java_obj.saveOnnx(path, overwrite)

    @staticmethod
    def _sc() -> Any:
        from pyspark import SparkContext

        return SparkContext._active_spark_context

    @staticmethod
    def _require_classic(what: str, error: Type[Exception]) -> None:
        # A Spark Connect server lets clients call only the model methods on its allowlist
        # (org.apache.spark.sql.connect.ml.MLUtils), which names Spark's own models only.
        # AttributeError for properties keeps hasattr() and Params.hasParam() working.
        if is_remote():
            raise error(
                f"MLPModel.{what} is not available through Spark Connect: the server only lets "
                "clients call methods on its allowlist of Spark models. Use transform(), or "
                "save() the model and load it with io.sparkgrad.spark.MLPModel in a classic "
                "session."
            )


class _Reader(JavaMLReader):
    """JavaMLReader that takes the Java class from JAVA_CLASSES instead of the module name."""

    @classmethod
    def _java_loader_class(cls, clazz: Type[Any]) -> str:
        return java_class_name(clazz)


def _reader(clazz: Type[Any]) -> MLReader:
    if is_remote():
        from sparkgrad.connect import ConnectReader

        return ConnectReader(clazz, java_class_name(clazz))
    check_jvm_side()
    return _Reader(clazz)


#: The one mapping between sparkgrad's Java stages and their Python wrappers.
JAVA_CLASSES: Dict[str, Type[Any]] = {
    "io.sparkgrad.spark.MLPEstimator": MLPEstimator,
    "io.sparkgrad.spark.MLPModel": MLPModel,
}
PYTHON_CLASSES: Dict[Type[Any], str] = {py: java for java, py in JAVA_CLASSES.items()}


def java_class_name(clazz: Type[Any]) -> str:
    """The Java class behind a wrapper class (or a user subclass of one)."""
    for base in clazz.__mro__:
        if base in PYTHON_CLASSES:
            return PYTHON_CLASSES[base]
    raise TypeError(f"{clazz.__name__} wraps no sparkgrad Java class; known: {list(JAVA_CLASSES)}")


def _register_java_packages() -> None:
    """Lets PySpark's own loaders find our classes by their Java names.

    JavaParams._from_java (Pipeline, PipelineModel, CrossValidatorModel stages) and
    DefaultParamsReader.loadParamsInstance (Python-side Pipeline reader) turn a Java class name
    into a Python one by replacing "org.apache.spark" with "pyspark" and importing the result;
    ours is unchanged by that, so they import "io.sparkgrad.spark" and take the class from it.
    A real package by that name cannot ship, since "io" is the standard library's io module, so
    the module is registered in sys.modules, which import consults before any parent package.
    """
    for java_name, py_class in JAVA_CLASSES.items():
        package, _, simple = java_name.rpartition(".")
        module = sys.modules.get(package)
        if module is None:
            module = types.ModuleType(package, "Python wrappers of sparkgrad's Java stages.")
            sys.modules[package] = module
        setattr(module, simple, py_class)


_register_java_packages()
