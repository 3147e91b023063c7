"""What a fitted MLPModel knows, copied out of the JVM into Python values.

Each value crosses py4j once (arrays are pickled whole by Spark's MLSerDe, not element by element),
so reading the weights of an MNIST-sized model takes one call per tensor, not one per number.
"""

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import numpy as np
from pyspark.ml.common import _java2py

__all__ = ["TrainingSummary", "weights_from_java"]


@dataclass(frozen=True)
class TrainingSummary:
    """Per-epoch figures of the fit that made a model (io.sparkgrad.spark.TrainingSummary).

    Lists are indexed by epoch. validationLoss and validationMetric are NaN without a validation
    set; the metric is accuracy for classification and RMSE for mse (validationMetricName).
    numWorkers is the number of workers the rows were dealt to, syncInterval the steps each took
    between combines; learningRate is the base rate after scaleLearningRate and its warm-up,
    learningRates the rate each epoch ended at (lrSchedule's, after scaleLearningRate). seconds
    time the training of each epoch, validationSeconds its validation; skippedRows counts the rows
    dropped by handleInvalid="skip"; epochsRun the epochs this fit trained (fewer than
    totalEpochs after resuming from a checkpoint). warning says why the model may be poor (the
    loss never fell below its first epoch's), or is None.
    """

    epochs: List[int]
    trainLoss: List[float]
    validationLoss: List[float]
    validationMetric: List[float]
    rows: List[int]
    seconds: List[float]
    validationMetricName: str
    numWorkers: int
    syncInterval: int
    learningRate: float
    stoppedEarly: bool
    bestEpoch: int
    validationSeconds: List[float]
    learningRates: List[float]
    skippedRows: int
    epochsRun: int
    warning: Optional[str]

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
            numWorkers=int(java_summary.numWorkers()),
            syncInterval=int(java_summary.syncInterval()),
            learningRate=float(java_summary.learningRate()),
            stoppedEarly=bool(java_summary.stoppedEarly()),
            bestEpoch=int(java_summary.bestEpoch()),
            validationSeconds=[float(e.validationSeconds()) for e in stats],
            learningRates=[float(e.learningRate()) for e in stats],
            skippedRows=int(java_summary.skippedRows()),
            epochsRun=int(java_summary.epochsRun()),
            warning=None if java_summary.warning() is None else str(java_summary.warning()),
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
