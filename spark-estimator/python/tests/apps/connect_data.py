"""The rows and estimator test_connect.py fits both over Spark Connect and in a classic session."""

from typing import Any

from pyspark.ml.functions import array_to_vector
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from sparkgrad import MLPEstimator

LAYERS = [2, 8, 2]


def points(spark: SparkSession) -> DataFrame:
    """300 points of a square, labelled by the side of x0 + x1 = 0; every fifth one validates."""
    x0 = (F.col("id") % 20) / 10.0 - 1
    x1 = (F.col("id") % 7) / 3.5 - 1
    return spark.range(300).select(
        x0.alias("x0"),
        x1.alias("x1"),
        array_to_vector(F.array(x0, x1)).alias("features"),
        (x0 + x1 > 0).cast("double").alias("label"),
        (F.col("id") % 5 == 0).alias("isValidation"),
    )


def estimator(**overrides: Any) -> MLPEstimator:
    """numWorkers is fixed: chosen automatically, it would follow each session's cores."""
    settings = dict(
        layers=LAYERS,
        optimizer="adam",
        learningRate=0.05,
        maxEpochs=10,
        seed=1,
        numWorkers=2,
        validationIndicatorCol="isValidation",
    )
    settings.update(overrides)
    return MLPEstimator(**settings)
