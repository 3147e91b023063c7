"""dropout and classWeights from Python: they reach the Java fit, repeat, and fail clearly."""

import pytest
from pyspark.errors import IllegalArgumentException

from sparkgrad import MLPEstimator

SETTINGS = dict(layers=[2, 8, 3], optimizer="adam", learningRate=0.05, maxEpochs=2, seed=3)


def test_dropout_and_class_weights_change_the_fit_and_repeat(make_data):
    df = make_data("cross_entropy")
    extra = dict(dropout=0.3, classWeights=[1.0, 3.0, 0.5], numWorkers=2)
    first = MLPEstimator(**SETTINGS, **extra).fit(df).weights()["0.weight"]
    again = MLPEstimator(**SETTINGS, **extra).fit(df.repartition(3)).weights()["0.weight"]
    plain = MLPEstimator(**SETTINGS, numWorkers=2).fit(df).weights()["0.weight"]
    assert (first == again).all()
    assert not (first == plain).all()


def test_class_weights_of_the_wrong_length_say_how_many(make_data):
    est = MLPEstimator(**SETTINGS, classWeights=[1.0, 2.0])
    with pytest.raises(IllegalArgumentException, match="3 classes .* but 2 class weights"):
        est.fit(make_data("cross_entropy"))
