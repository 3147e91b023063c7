"""Fit and transform from Python for each loss, and what a fitted model exposes."""

import math

import pytest
from pyspark.ml.evaluation import MulticlassClassificationEvaluator, RegressionEvaluator
from pyspark.sql import functions as F

from sparkgrad import MLPEstimator, MLPModel, TrainingSummary

SETTINGS = dict(optimizer="adam", learningRate=0.05, batchSize=32, maxEpochs=15, seed=3)


def test_cross_entropy_learns_three_classes(make_data):
    df = make_data("cross_entropy")
    model = MLPEstimator(layers=[2, 16, 3], **SETTINGS).fit(df)
    out = model.transform(df)
    assert out.columns == ["features", "label", "rawPrediction", "probability", "prediction"]
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(out)
    assert accuracy > 0.9
    probs = out.select("probability").first()[0]
    assert len(probs) == 3 and math.isclose(sum(probs), 1.0, rel_tol=1e-5)


def test_bce_learns_a_boundary(make_data):
    df = make_data("bce")
    model = MLPEstimator(layers=[2, 8, 1], loss="bce", **SETTINGS).fit(df)
    out = model.setThreshold(0.5).transform(df)
    assert out.columns == ["features", "label", "rawPrediction", "probability", "prediction"]
    assert MulticlassClassificationEvaluator(metricName="accuracy").evaluate(out) > 0.9
    raw, prob = out.select("rawPrediction", "probability").first()
    assert len(raw) == 2 and math.isclose(prob[0] + prob[1], 1.0, rel_tol=1e-5)


def test_mse_fits_a_plane(make_data):
    df = make_data("mse")
    model = MLPEstimator(layers=[2, 16, 1], loss="mse", **SETTINGS).fit(df)
    out = model.transform(df)
    assert out.columns == ["features", "label", "prediction"]
    rmse = RegressionEvaluator(metricName="rmse").evaluate(out)
    assert rmse < 0.3, f"RMSE {rmse} on a plane with labels spread over about [-5, 6]"
    summary = model.summary
    assert summary.trainLoss[-1] < summary.trainLoss[0] / 10


def test_summary_mirrors_the_java_record(make_data):
    df = make_data("cross_entropy").withColumn("isValidation", F.rand(1) < 0.25)
    model = MLPEstimator(
        layers=[2, 8, 3],
        validationIndicatorCol="isValidation",
        numWorkers=2,
        **{**SETTINGS, "maxEpochs": 4},
    ).fit(df)
    assert model.hasSummary
    s = model.summary
    assert isinstance(s, TrainingSummary)
    assert s.epochs == [1, 2, 3, 4] and s.totalEpochs == 4
    for values in (s.trainLoss, s.validationLoss, s.validationMetric, s.seconds, s.rows):
        assert len(values) == 4
    assert all(0 <= m <= 1 for m in s.validationMetric)
    assert s.validationMetricName == "accuracy"
    assert s.numWorkers == 2 and s.syncInterval >= 1
    assert s.epochsRun == 4 and s.warning is None
    assert s.learningRate == pytest.approx(0.05)  # adam: not scaled by the worker count
    java = model._java_obj.summary()
    assert s.trainLoss == list(java.trainLossHistory())
    assert s.seconds == list(java.secondsPerEpoch())


def test_array_features_train_and_score_as_vectors(make_data):
    from pyspark.ml.functions import vector_to_array

    df = make_data("bce").withColumn("id", F.monotonically_increasing_id()).cache()
    arrays = df.withColumn("features", vector_to_array("features", "float32"))
    assert arrays.schema["features"].dataType.simpleString() == "array<float>"
    est = MLPEstimator(layers=[2, 4, 1], loss="bce", maxEpochs=3, seed=3)
    from_vectors, from_arrays = est.fit(df), est.fit(arrays)
    for name, w in from_vectors.weights().items():
        assert (w == from_arrays.weights()[name]).all(), name
    scored = lambda m, d: [r.prediction for r in m.transform(d).orderBy("id").collect()]
    assert scored(from_vectors, df) == scored(from_vectors, arrays)


def test_features_cols_train_and_score_as_assembled_vectors(make_data):
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.functions import vector_to_array

    xs = vector_to_array("features")
    df = (
        make_data("bce")
        .select(xs[0].alias("a"), xs[1].cast("float").alias("b"), "label")
        .withColumn("id", F.monotonically_increasing_id())
        .cache()
    )
    assembled = VectorAssembler(inputCols=["a", "b"], outputCol="features").transform(df)
    settings = dict(layers=[2, 4, 1], loss="bce", maxEpochs=3, seed=3)
    from_vectors = MLPEstimator(**settings).fit(assembled)
    from_columns = MLPEstimator(featuresCols=["a", "b"], **settings).fit(df)
    assert from_columns.getFeaturesCols() == ["a", "b"]
    for name, w in from_vectors.weights().items():
        assert (w == from_columns.weights()[name]).all(), name
    scored = lambda m, d: [
        (r.rawPrediction.toArray().tolist(), r.prediction)
        for r in m.transform(d).orderBy("id").collect()
    ]
    assert scored(from_vectors, assembled) == scored(from_columns, df)
    both = MLPEstimator(featuresCol="features", featuresCols=["a", "b"], **settings)
    with pytest.raises(Exception, match=r"Params featuresCol \('features'\) and featuresCols"):
        both.fit(df)


def test_weights_are_the_state_dict(make_data):
    import numpy as np

    model = MLPEstimator(layers=[2, 5, 3], **{**SETTINGS, "maxEpochs": 1}).fit(
        make_data("cross_entropy")
    )
    w = model.weights()
    assert list(w) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert w["0.weight"].shape == (5, 2) and w["2.weight"].shape == (3, 5)
    assert w["0.weight"].dtype == np.float32
    java = model._java_obj.weightArrays()
    # Exact float32 values; py4j's own float conversion would round them through a decimal string.
    assert np.array_equal(w["2.weight"].ravel(), np.array(list(java.get("2.weight")), np.float32))
    assert model.layers == [2, 5, 3] and model.numFeatures == 2


def test_single_row_predict_equals_transform(make_data):
    df = make_data("cross_entropy")
    model = MLPEstimator(layers=[2, 8, 3], **{**SETTINGS, "maxEpochs": 3}).fit(df)
    for row in model.transform(df).limit(5).collect():
        assert model.predict(row.features) == row.prediction
        assert model.predictRaw(row.features).toArray().tolist() == pytest.approx(
            row.rawPrediction.toArray().tolist()
        )


def test_loaded_model_has_no_summary(make_data, tmp_path):
    model = MLPEstimator(layers=[2, 3, 3], **{**SETTINGS, "maxEpochs": 1}).fit(
        make_data("cross_entropy")
    )
    model.save(str(tmp_path / "m"))
    loaded = MLPModel.load(str(tmp_path / "m"))
    assert not loaded.hasSummary
    with pytest.raises(Exception, match="No training summary"):
        _ = loaded.summary


def test_fit_is_reproducible_for_a_seed(make_data):
    df = make_data("cross_entropy")
    weights = [
        MLPEstimator(layers=[2, 4, 3], **{**SETTINGS, "maxEpochs": 2}).fit(df).weights()["0.weight"]
        for _ in range(2)
    ]
    assert weights[0].tolist() == weights[1].tolist()
    other = MLPEstimator(layers=[2, 4, 3], **{**SETTINGS, "maxEpochs": 2, "seed": 4}).fit(df)
    assert other.weights()["0.weight"].tolist() != weights[0].tolist()
