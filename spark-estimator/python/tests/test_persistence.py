"""Save and load across Python and Java, alone and inside Pipeline and CrossValidator."""

import sys

import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.functions import vector_to_array
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder
from pyspark.ml.wrapper import JavaWrapper
from pyspark.sql import DataFrame

from sparkgrad import JAVA_CLASSES, MLPEstimator, MLPModel
from sparkgrad.mlp import java_class_name


def predictions(df: DataFrame):
    """Rows in input order: raw outputs and prediction, the values that must agree exactly."""
    return [(r.rawPrediction.toArray().tolist(), r.prediction) for r in df.collect()]


def java_transform(spark, java_model, df: DataFrame) -> DataFrame:
    return DataFrame(java_model.transform(df._jdf), spark)


@pytest.fixture(scope="module")
def columns_data(make_data):
    """Plain numeric columns a, b (no Vector), as a Pipeline starts from."""
    xs = vector_to_array("features")
    return make_data("cross_entropy").select(
        (xs[0] * 3 + 1).alias("a"), (xs[1] - 2).alias("b"), "label"
    )


def pipeline() -> Pipeline:
    return Pipeline(
        stages=[
            VectorAssembler(inputCols=["a", "b"], outputCol="raw"),
            StandardScaler(inputCol="raw", outputCol="scaled", withMean=True),
            MLPEstimator(featuresCol="scaled", layers=[2, 8, 3], maxEpochs=3, seed=5),
        ]
    )


def test_the_class_map_is_one_dict_both_ways():
    assert JAVA_CLASSES == {
        "io.sparkgrad.spark.MLPEstimator": MLPEstimator,
        "io.sparkgrad.spark.MLPModel": MLPModel,
    }
    assert java_class_name(MLPModel) == "io.sparkgrad.spark.MLPModel"
    # What PySpark's loaders import after their "org.apache.spark" -> "pyspark" replacement.
    module = __import__("io.sparkgrad.spark", fromlist=["MLPModel"])
    assert module.MLPEstimator is MLPEstimator and module.MLPModel is MLPModel
    assert sys.modules["io"].open is open  # the standard library's io is untouched


def test_estimator_round_trip(tmp_path):
    est = MLPEstimator(layers=[4, 5, 2], loss="bce", seed=11, learningRate=0.2)
    est.save(str(tmp_path / "est"))
    loaded = MLPEstimator.load(str(tmp_path / "est"))
    assert loaded.uid == est.uid
    assert loaded.getLayers() == [4, 5, 2] and loaded.getLoss() == "bce"
    assert loaded.getSeed() == 11 and loaded.getLearningRate() == 0.2


def test_python_model_loads_in_java(spark, make_data, tmp_path):
    df = make_data("cross_entropy")
    model = MLPEstimator(layers=[2, 8, 3], maxEpochs=3, seed=2).fit(df)
    model.write().overwrite().save(str(tmp_path / "m"))
    java_model = spark._jvm.io.sparkgrad.spark.MLPModel.load(str(tmp_path / "m"))
    assert java_model.uid() == model.uid
    assert predictions(java_transform(spark, java_model, df)) == predictions(model.transform(df))
    reloaded = MLPModel.load(str(tmp_path / "m"))
    assert predictions(reloaded.transform(df)) == predictions(model.transform(df))


def test_java_model_loads_in_python(spark, make_data, tmp_path):
    df = make_data("cross_entropy")
    jvm = spark._jvm
    java_est = (
        jvm.io.sparkgrad.spark.MLPEstimator()
        .setLayers(JavaWrapper._new_java_array([2, 6, 3], jvm.int))
        .setMaxEpochs(3)
        .setSeed(4)
    )
    java_model = java_est.fit(df._jdf)
    java_model.write().overwrite().save(str(tmp_path / "jm"))
    model = MLPModel.load(str(tmp_path / "jm"))
    assert isinstance(model, MLPModel) and model.uid == java_model.uid()
    assert model.layers == [2, 6, 3]
    assert predictions(model.transform(df)) == predictions(java_transform(spark, java_model, df))


def test_pipeline_saves_and_loads_in_python(columns_data, tmp_path):
    unfitted = pipeline()
    unfitted.save(str(tmp_path / "p"))
    stages = Pipeline.load(str(tmp_path / "p")).getStages()
    assert [type(s) for s in stages] == [VectorAssembler, StandardScaler, MLPEstimator]
    assert stages[2].getLayers() == [2, 8, 3] and stages[2].getFeaturesCol() == "scaled"

    fitted = unfitted.fit(columns_data)
    fitted.save(str(tmp_path / "pm"))
    loaded = PipelineModel.load(str(tmp_path / "pm"))
    assert isinstance(loaded.stages[2], MLPModel)
    assert predictions(loaded.transform(columns_data)) == predictions(
        fitted.transform(columns_data)
    )


def test_pipeline_from_python_loads_in_java_and_back(spark, columns_data, tmp_path):
    fitted = pipeline().fit(columns_data)
    fitted.save(str(tmp_path / "py"))
    java_pm = spark._jvm.org.apache.spark.ml.PipelineModel.load(str(tmp_path / "py"))
    assert java_pm.stages()[2].getClass().getName() == "io.sparkgrad.spark.MLPModel"
    expected = predictions(fitted.transform(columns_data))
    assert predictions(java_transform(spark, java_pm, columns_data)) == expected

    java_pm.write().overwrite().save(str(tmp_path / "java"))  # saved by Java this time
    from_java = PipelineModel.load(str(tmp_path / "java"))
    assert isinstance(from_java.stages[2], MLPModel)
    assert predictions(from_java.transform(columns_data)) == expected


def test_cross_validator_from_python(columns_data, tmp_path):
    pipe = pipeline()
    mlp = pipe.getStages()[2]
    grid = ParamGridBuilder().addGrid(mlp.learningRate, [0.001, 0.1]).build()
    cv = CrossValidator(
        estimator=pipe,
        estimatorParamMaps=grid,
        evaluator=MulticlassClassificationEvaluator(metricName="accuracy"),
        numFolds=2,
        seed=3,
    )
    cv_model = cv.fit(columns_data)
    assert len(cv_model.avgMetrics) == 2
    assert cv_model.avgMetrics[1] > cv_model.avgMetrics[0]  # lr 0.001 barely moves in 3 epochs
    best = cv_model.bestModel.stages[2]
    assert isinstance(best, MLPModel)

    cv.save(str(tmp_path / "cv"))
    maps = CrossValidator.load(str(tmp_path / "cv")).getEstimatorParamMaps()
    assert sorted(v for m in maps for v in m.values()) == [0.001, 0.1]
    cv_model.save(str(tmp_path / "cvm"))
    loaded = CrossValidatorModel.load(str(tmp_path / "cvm"))
    assert loaded.avgMetrics == pytest.approx(cv_model.avgMetrics)
    assert predictions(loaded.bestModel.transform(columns_data)) == predictions(
        cv_model.bestModel.transform(columns_data)
    )
