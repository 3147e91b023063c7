"""Submitted by test_spark_submit.py with the spark-estimator jar as --py-files and no pip install.

Fits, transforms and reads the weights back, so every module of the package is exercised from
the jar. Prints one JSON line for the test to check.
"""

import json

from pyspark.ml.functions import array_to_vector
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import sparkgrad
from sparkgrad import MLPEstimator

spark = SparkSession.builder.getOrCreate()
x = F.col("id") / 40.0  # rows made in the JVM: no Python worker to start
df = spark.range(40).select(
    array_to_vector(F.array(x, 1 - x)).alias("features"),
    (F.col("id") % 2).cast("double").alias("label"),
)
model = MLPEstimator(layers=[2, 3, 2], maxEpochs=2, seed=1).fit(df)
weights = model.weights()
print(
    "RESULT "
    + json.dumps(
        {
            "sparkgrad_file": sparkgrad.__file__,
            "rows": model.transform(df).count(),
            "weight_shape": list(weights["0.weight"].shape),
            "epochs": model.summary.epochs,
        }
    )
)
spark.stop()
