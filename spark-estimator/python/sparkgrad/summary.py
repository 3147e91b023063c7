"""What a fitted MLPModel knows, copied out of the JVM into Python values.

Each value crosses py4j once (arrays are pickled whole by Spark's MLSerDe, not element by element),
so reading the weights of an MNIST-sized model takes one call per tensor, not one per number, and
the summary's figures arrive in one JSON string.
"""

import json
from functools import cached_property
from typing import Any, Dict, List, Optional

import numpy as np
from pyspark.ml.common import _java2py
from pyspark.ml.wrapper import JavaWrapper

__all__ = ["TrainingSummary", "weights_from_java"]


class TrainingSummary(JavaWrapper):
    """Per-epoch figures of the fit that made a model (io.sparkgrad.spark.TrainingSummary).

    Spark's training-summary shape: objectiveHistory is the train loss of each epoch and
    totalIterations the number of epochs (len(objectiveHistory); Spark's own models count one
    fewer, their history starting with the initial objective). The same in a classic session and
    over Spark Connect, where these are the summary methods the server lets a client call; the
    other figures come from the summary's toString, its JSON, fetched once.

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

    @property
    def objectiveHistory(self) -> List[float]:
        return [float(v) for v in self._call_java("objectiveHistory")]

    @property
    def totalIterations(self) -> int:
        return int(self._call_java("totalIterations"))

    @cached_property
    def _figures(self) -> Dict[str, Any]:
        return json.loads(self._call_java("toString"))

    def _per_epoch(self, name: str) -> List[Any]:
        return [e[name] for e in self._figures["epochs"]]

    @property
    def epochs(self) -> List[int]:
        return self._per_epoch("epoch")

    @property
    def trainLoss(self) -> List[float]:
        return self._per_epoch("trainLoss")

    @property
    def validationLoss(self) -> List[float]:
        return self._per_epoch("validationLoss")

    @property
    def validationMetric(self) -> List[float]:
        return self._per_epoch("validationMetric")

    @property
    def rows(self) -> List[int]:
        return self._per_epoch("rows")

    @property
    def seconds(self) -> List[float]:
        return self._per_epoch("seconds")

    @property
    def validationSeconds(self) -> List[float]:
        return self._per_epoch("validationSeconds")

    @property
    def learningRates(self) -> List[float]:
        return self._per_epoch("learningRate")

    @property
    def totalEpochs(self) -> int:
        return len(self._figures["epochs"])

    @property
    def validationMetricName(self) -> str:
        return self._figures["validationMetricName"]

    @property
    def numWorkers(self) -> int:
        return self._figures["numWorkers"]

    @property
    def syncInterval(self) -> int:
        return self._figures["syncInterval"]

    @property
    def learningRate(self) -> float:
        return self._figures["learningRate"]

    @property
    def stoppedEarly(self) -> bool:
        return self._figures["stoppedEarly"]

    @property
    def bestEpoch(self) -> int:
        return self._figures["bestEpoch"]

    @property
    def skippedRows(self) -> int:
        return self._figures["skippedRows"]

    @property
    def epochsRun(self) -> int:
        return self._figures["epochsRun"]

    @property
    def warning(self) -> Optional[str]:
        return self._figures["warning"]


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
