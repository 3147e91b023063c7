"""Bad input and bad params stop in Python with the Java message, readable as it is."""

import pytest
from pyspark.errors import IllegalArgumentException
from pyspark.ml.linalg import Vectors

from sparkgrad import MLPEstimator


def test_nan_feature_names_column_partition_and_row(spark):
    rows = [(Vectors.dense([0.1 * i, 1.0]), float(i % 2)) for i in range(20)]
    rows[13] = (Vectors.dense([float("nan"), 1.0]), 1.0)
    df = spark.createDataFrame(rows, ["features", "label"]).coalesce(1)
    with pytest.raises(IllegalArgumentException) as error:
        MLPEstimator(layers=[2, 3, 2], maxEpochs=1).fit(df)
    text = str(error.value)
    assert "Column 'features' at partition" in text, text
    assert "NaN" in text or "nan" in text.lower(), text


def test_missing_layers_says_how_to_set_them(make_data):
    with pytest.raises(IllegalArgumentException, match="Param layers is not set"):
        MLPEstimator(maxEpochs=1).fit(make_data("cross_entropy"))


def test_out_of_range_param_is_refused_by_the_java_validator(make_data):
    with pytest.raises(IllegalArgumentException, match="learningRate given invalid value -0.1"):
        MLPEstimator(layers=[2, 3, 3], learningRate=-0.1).fit(make_data("cross_entropy"))


def test_unknown_choice_lists_the_allowed_values(make_data):
    with pytest.raises(IllegalArgumentException, match="optimizer given invalid value rmsprop"):
        MLPEstimator(layers=[2, 3, 3], optimizer="rmsprop").fit(make_data("cross_entropy"))


def test_label_outside_the_classes(make_data):
    df = make_data("cross_entropy")  # labels 0, 1, 2
    with pytest.raises(IllegalArgumentException, match="label"):
        MLPEstimator(layers=[2, 3, 2], maxEpochs=1).fit(df)


def test_python_converters_refuse_wrong_types_before_the_jvm():
    with pytest.raises(TypeError):
        MLPEstimator(layers="784,10")
    with pytest.raises(TypeError):
        MLPEstimator(maxEpochs=2.5)
