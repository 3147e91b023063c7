"""Spark Connect client run by test_connect.py: python3 connect_client.py sc://127.0.0.1:PORT DIR.

A separate process because builder.remote() switches the whole Python process to Connect mode
(PySpark keys is_remote() on an environment variable), which the other tests must not see.
Prints one JSON line for the test to check.
"""

import json
import sys

from pyspark.ml.functions import array_to_vector
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from sparkgrad import MLPEstimator, MLPModel

url, folder = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.remote(url).getOrCreate()
x0 = (F.col("id") % 20) / 10.0 - 1
x1 = (F.col("id") % 7) / 3.5 - 1
df = spark.range(300).select(
    array_to_vector(F.array(x0, x1)).alias("features"), (x0 + x1 > 0).cast("double").alias("label")
)
est = MLPEstimator(layers=[2, 8, 2], optimizer="adam", learningRate=0.05, maxEpochs=10, seed=1)
model = est.fit(df)
out = model.transform(df)
accuracy = out.where("prediction = label").count() / out.count()

model.write().overwrite().save(folder + "/model")
loaded = MLPModel.load(folder + "/model")
same = [r.prediction for r in loaded.transform(df).collect()] == [
    r.prediction for r in out.collect()
]
est.write().overwrite().save(folder + "/estimator")
est_loaded = MLPEstimator.load(folder + "/estimator")
try:
    summary_error = f"summary returned {model.summary}"
except AttributeError as e:
    summary_error = str(e)
print(
    "RESULT "
    + json.dumps(
        {
            "columns": out.columns,
            "accuracy": accuracy,
            "model": repr(model),
            "loaded_same_predictions": same,
            "loaded_estimator_layers": est_loaded.getLayers(),
            "summary_error": summary_error,
        }
    )
)
spark.stop()
