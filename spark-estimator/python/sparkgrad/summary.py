"""What a fitted MLPModel knows, copied out of the JVM into Python values.

Each value crosses py4j once (arrays are pickled whole by Spark's MLSerDe, not element by element),
so reading the weights of an MNIST-sized model takes one call per tensor, not one per number.
"""

from dataclasses import dataclass
from typing import Any, Dict, List

import numpy as np
from pyspark.ml.common import _java2py

__all__ = ["TrainingSummary", "weights_from_java"]


@dataclass(frozen=True)
class TrainingSummary:
    """Per-epoch figures of the fit that made a model (io.sparkgrad.spark.training.TrainingSummary).

    Lists are indexed by epoch. validationLoss and validationMetric are NaN without a validation
    set; the metric is accuracy for classification and RMSE for mse (validationMetricName).
    learningRate is the rate each partition trained at, after scaleLearningRate. seconds time the
    training of each epoch, validationSeconds its validation; skippedRows counts the rows dropped
    by handleInvalid="skip".
    """

    epochs: List[int]
    trainLoss: List[float]
    validationLoss: List[float]
    validationMetric: List[float]
    rows: List[int]
    seconds: List[float]
    validationMetricName: str
    partitions: int
    learningRate: float
    stoppedEarly: bool
    bestEpoch: int
    validationSeconds: List[float]
    skippedRows: int

    @property
    def totalEpochs(self) -> int:
        return len(self.epochs)

    @classmethod
    def from_java(cls, java_summary: Any) -> "TrainingSummary":
        """Reads the Java record through its accessors (records have no getX prefix)."""
        stats = list(java_summary.epochs())
        return cls(
            epochs=[int(e.epoch()) for e in stats],
            trainLoss=[float(e.trainLoss()) for e in stats],
            validationLoss=[float(e.validationLoss()) for e in stats],
            validationMetric=[float(e.validationMetric()) for e in stats],
            rows=[int(e.rows()) for e in stats],
            seconds=[float(e.seconds()) for e in stats],
            validationMetricName=str(java_summary.validationMetricName()),
            partitions=int(java_summary.partitions()),
            learningRate=float(java_summary.learningRate()),
            stoppedEarly=bool(java_summary.stoppedEarly()),
            bestEpoch=int(java_summary.bestEpoch()),
            validationSeconds=[float(e.validationSeconds()) for e in stats],
            skippedRows=int(java_summary.skippedRows()),
        )


def weights_from_java(sc: Any, java_tensors: Any) -> Dict[str, np.ndarray]:
    """State dict by PyTorch Sequential names ("0.weight", "0.bias", ...), weight as (out, in).

    float32 numpy arrays, the engine's own precision (numpy comes with pyspark.ml, which imports
    it unconditionally).
    """
    out: Dict[str, np.ndarray] = {}
    for name in java_tensors.keySet():
        tensor = java_tensors.get(name)
        shape = [int(d) for d in tensor.shape()]
        out[name] = np.asarray(_java2py(sc, tensor.data()), dtype=np.float32).reshape(shape)
    return out
