"""Spark Connect client run by test_connect.py: python3 connect_client.py sc://127.0.0.1:PORT DIR.

A separate process because builder.remote() switches the whole Python process to Connect mode
(PySpark keys is_remote() on an environment variable), which the other tests must not see.
Prints one JSON line for the test to check.
"""

import json
import math
import sys

from connect_data import estimator, points
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder
from pyspark.sql import SparkSession

from sparkgrad import MLPEstimator, MLPModel

url, folder = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.remote(url).getOrCreate()
df = points(spark)


def predictions(model, data):
    return [r.prediction for r in model.transform(data).orderBy("x0", "x1").collect()]


def summary_of(model):
    s = model.summary
    # JSON has no NaN: validation figures are NaN only when a fit has no validation rows.
    finite = lambda values: [None if math.isnan(v) else v for v in values]
    return {
        "objectiveHistory": s.objectiveHistory,
        "totalIterations": s.totalIterations,
        "epochs": s.epochs,
        "trainLoss": s.trainLoss,
        "validationLoss": finite(s.validationLoss),
        "validationMetric": finite(s.validationMetric),
        "rows": s.rows,
        "numWorkers": s.numWorkers,
        "epochsRun": s.epochsRun,
    }


est = estimator()
model = est.fit(df)
out = model.transform(df)
accuracy = out.where("prediction = label").count() / out.count()
cache_sizes = [
    json.loads(entry)["size"]
    for entry in spark.client._get_ml_cache_info()
    if json.loads(entry)["class"] == "io.sparkgrad.spark.MLPModel"
]

model.write().overwrite().save(folder + "/model")
loaded = MLPModel.load(folder + "/model")
est.write().overwrite().save(folder + "/estimator")
est_loaded = MLPEstimator.load(folder + "/estimator")

assembler = VectorAssembler(inputCols=["x0", "x1"], outputCol="assembled")
pipeline = Pipeline(stages=[assembler, estimator(featuresCol="assembled", maxEpochs=2)])
pipeline_model = pipeline.fit(df)
pipeline_model.write().overwrite().save(folder + "/pipeline")
pipeline_loaded = PipelineModel.load(folder + "/pipeline")

cv_est = estimator(maxEpochs=2, validationIndicatorCol="")
cv = CrossValidator(
    estimator=cv_est,
    estimatorParamMaps=ParamGridBuilder().addGrid(cv_est.learningRate, [0.001, 0.05]).build(),
    evaluator=MulticlassClassificationEvaluator(metricName="accuracy"),
    numFolds=2,
    seed=1,
)
cv_model = cv.fit(df)
cv_model.write().overwrite().save(folder + "/cv")
cv_loaded = CrossValidatorModel.load(folder + "/cv")

print(
    "RESULT "
    + json.dumps(
        {
            "columns": out.columns,
            "accuracy": accuracy,
            "model": repr(model),
            "has_summary": model.hasSummary,
            "summary": summary_of(model),
            "cache_sizes": cache_sizes,
            "loaded_same_predictions": predictions(loaded, df) == predictions(model, df),
            "loaded_has_summary": loaded.hasSummary,
            "loaded_estimator_layers": est_loaded.getLayers(),
            "pipeline_stage": type(pipeline_model.stages[-1]).__name__,
            "pipeline_stage_summary": summary_of(pipeline_model.stages[-1]),
            "pipeline_loaded_stage": type(pipeline_loaded.stages[-1]).__name__,
            "pipeline_loaded_same_predictions": predictions(pipeline_loaded, df)
            == predictions(pipeline_model, df),
            "cv_avg_metrics": cv_model.avgMetrics,
            "cv_best_model": type(cv_model.bestModel).__name__,
            "cv_best_accuracy": MulticlassClassificationEvaluator(metricName="accuracy").evaluate(
                cv_model.transform(df)
            ),
            "cv_loaded_same_predictions": predictions(cv_loaded, df) == predictions(cv_model, df),
        }
    )
)
spark.stop()
