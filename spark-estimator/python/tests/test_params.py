"""The Python params are the Java params: same names, docs, types, defaults and values."""

import inspect

import pytest
from py4j.java_collections import JavaArray
from pyspark.ml.common import _java2py
from pyspark.ml.param import TypeConverters
from pyspark.ml.wrapper import JavaWrapper

from sparkgrad import MLPEstimator, MLPModel

# A value other than the default for every param of the estimator.
VALUES = dict(
    featuresCol="f",
    featuresCols=["a", "b.c"],
    labelCol="y",
    weightCol="w",
    predictionCol="p",
    probabilityCol="pr",
    rawPredictionCol="raw",
    validationIndicatorCol="isVal",
    layers=[3, 7, 2],
    activation="tanh",
    loss="bce",
    optimizer="adamw",
    learningRate=0.125,
    momentum=0.75,
    nesterov=True,
    weightDecay=0.001,
    batchSize=17,
    maxEpochs=3,
    shuffle=False,
    seed=2**40 + 5,  # past 32 bits: the Java param is a long
    numWorkers=5,
    syncInterval=4,
    syncMode="average_gradients",
    scaleLearningRate=False,
    initialWeightsPath="/tmp/w.safetensors",
    earlyStoppingPatience=2,
    tol=1e-3,
    threshold=0.25,
    handleInvalid="skip",
    checkpointDir="/tmp/checkpoints",
    checkpointInterval=3,
    lrSchedule="step",
    lrStepSize=4,
    lrGamma=0.5,
    minLearningRate=0.001,
    warmupEpochs=2,
    maxGradNorm=1.5,
    dropout=0.25,
    classWeights=[1.0, 2.5],
    balancedClassWeights=True,
)
MODEL_PARAMS = [
    "featuresCol",
    "featuresCols",
    "predictionCol",
    "probabilityCol",
    "rawPredictionCol",
    "threshold",
]
CONVERTERS = {
    "IntArrayParam": TypeConverters.toListInt,
    "StringArrayParam": TypeConverters.toListString,
    "IntParam": TypeConverters.toInt,
    "LongParam": TypeConverters.toInt,
    "DoubleParam": TypeConverters.toFloat,
    "DoubleArrayParam": TypeConverters.toListFloat,
    "BooleanParam": TypeConverters.toBoolean,
    "Param": TypeConverters.toString,  # every plain Param of ours holds a String
}


def cap(name: str) -> str:
    return name[0].upper() + name[1:]


def java_params(java_obj):
    return {p.name(): p for p in java_obj.params()}


def as_python(value):
    """A Java array (py4j's JavaArray) as the list the Python param holds."""
    return list(value) if isinstance(value, JavaArray) else value


def java_value(spark, java_obj, name):
    value = _java2py(spark.sparkContext, java_obj.getOrDefault(java_obj.getParam(name)))
    return list(value) if name in ("layers", "featuresCols", "classWeights") else value


def java_default(spark, java_obj, java_param):
    return as_python(_java2py(spark.sparkContext, java_obj.getDefault(java_param)).get())


@pytest.fixture
def java_estimator(spark):
    return spark._jvm.io.sparkgrad.spark.MLPEstimator()


@pytest.fixture
def java_model(spark):
    return spark._jvm.io.sparkgrad.spark.MLPModel()


def test_values_cover_every_java_param(java_estimator, java_model):
    assert set(VALUES) == set(java_params(java_estimator))
    assert set(MODEL_PARAMS) == set(java_params(java_model))


@pytest.mark.parametrize(
    "py_class, java_fixture", [(MLPEstimator, "java_estimator"), (MLPModel, "java_model")]
)
def test_names_docs_and_converters_match_java(py_class, java_fixture, request):
    java = java_params(request.getfixturevalue(java_fixture))
    py = {p.name: p for p in py_class().params}
    assert set(py) == set(java)
    for name, jp in java.items():
        assert py[name].doc == jp.doc(), name
        assert py[name].typeConverter is CONVERTERS[jp.getClass().getSimpleName()], name


@pytest.mark.parametrize(
    "py_class, java_fixture", [(MLPEstimator, "java_estimator"), (MLPModel, "java_model")]
)
def test_defaults_equal_java_defaults(py_class, java_fixture, request, spark):
    java_obj = request.getfixturevalue(java_fixture)
    py = py_class()
    for name, jp in java_params(java_obj).items():
        assert py.hasDefault(name) == java_obj.hasDefault(jp), name
        if java_obj.hasDefault(jp):
            expected = java_default(spark, java_obj, jp)
            actual = py.getOrDefault(name)
            assert actual == expected and type(actual) is type(expected), name


@pytest.mark.parametrize("method", ["__init__", "setParams"])
def test_keyword_defaults_equal_java_defaults(method, java_estimator, spark):
    signature = inspect.signature(getattr(MLPEstimator, method))
    keywords = {k: v.default for k, v in signature.parameters.items() if k != "self"}
    assert set(keywords) == set(VALUES)
    for name, jp in java_params(java_estimator).items():
        if java_estimator.hasDefault(jp):
            assert keywords[name] == java_default(spark, java_estimator, jp), name
        else:
            assert keywords[name] is None, name


def test_python_set_reaches_java_and_comes_back(spark):
    est = MLPEstimator(**VALUES)
    assert est._java_obj.uid() == est.uid
    est._transfer_params_to_java()
    for name, value in VALUES.items():
        assert java_value(spark, est._java_obj, name) == value, name
    back = MLPEstimator._from_java(est._java_obj)  # PySpark's loader path, through JAVA_CLASSES
    assert type(back) is MLPEstimator and back.uid == est.uid
    for name, value in VALUES.items():
        assert getattr(back, "get" + cap(name))() == value, name


def test_java_set_reaches_python(spark):
    est = MLPEstimator()
    layers = JavaWrapper._new_java_array([4, 2], spark._jvm.int)
    est._java_obj.setMaxEpochs(7).setLayers(layers).setSeed(2**33).setOptimizer("adam")
    est._transfer_params_from_java()
    assert est.getMaxEpochs() == 7 and est.getLayers() == [4, 2]
    assert est.getSeed() == 2**33 and est.getOptimizer() == "adam"


def test_every_param_has_a_setter_and_a_getter():
    est = MLPEstimator()
    for name, value in VALUES.items():
        assert getattr(est, "set" + cap(name))(value) is est
        assert getattr(est, "get" + cap(name))() == value
    model = MLPModel()
    for name in MODEL_PARAMS:
        assert getattr(model, "set" + cap(name))(VALUES[name]) is model
        assert getattr(model, "get" + cap(name))() == VALUES[name]


def test_set_params_sets_only_what_it_names():
    est = MLPEstimator(maxEpochs=5).setParams(layers=[2, 3], learningRate=0.5)
    assert est.getMaxEpochs() == 5 and est.getLayers() == [2, 3] and est.getLearningRate() == 0.5
    assert not est.isSet(est.momentum)


def test_copy_keeps_uid_and_params():
    est = MLPEstimator(layers=[2, 3], seed=9)
    copy = est.copy({est.maxEpochs: 4})
    assert copy.uid == est.uid and copy._java_obj.uid() == est.uid
    assert copy.getMaxEpochs() == 4 and est.getMaxEpochs() == 10
    assert copy.getLayers() == [2, 3] and copy.getSeed() == 9


def test_a_64_bit_seed_trains(make_data):
    model = MLPEstimator(layers=[2, 3, 3], maxEpochs=1, seed=2**40 + 5).fit(
        make_data("cross_entropy")
    )
    assert model.layers == [2, 3, 3]


@pytest.mark.parametrize(
    "optimizer, weight_decay, expected",
    [
        ("adamw", None, 0.01),  # torch.optim.AdamW's default
        ("adam", None, 0.0),
        ("sgd", None, 0.0),
        ("adamw", 0.0, 0.0),  # a value set wins, 0 included
        ("adamw", 0.2, 0.2),
        ("sgd", 0.2, 0.2),
    ],
)
def test_weight_decay_unset_is_pytorchs_default_for_the_optimizer(
    optimizer, weight_decay, expected
):
    est = MLPEstimator(optimizer=optimizer)
    if weight_decay is not None:
        est.setWeightDecay(weight_decay)
    assert est.isDefined(est.weightDecay) == (weight_decay is not None)
    assert est.getWeightDecay() == expected
    est._transfer_params_to_java()
    assert est._java_obj.getWeightDecay() == expected  # the JVM resolves it the same way


def test_schedule_and_clipping_train_and_follow_the_schedule(make_data):
    """A cosine schedule after a warm-up, with clipping: the summary's rate of each epoch is the
    engine's schedule (scaleLearningRate off, so no worker scaling), and bad combinations fail
    with the param's name."""
    est = MLPEstimator(
        layers=[2, 4, 3],
        optimizer="sgd",
        learningRate=0.2,
        maxEpochs=3,
        numWorkers=2,
        scaleLearningRate=False,
        lrSchedule="cosine",
        minLearningRate=0.02,
        warmupEpochs=1,
        maxGradNorm=1.0,
        seed=3,
    )
    data = make_data("cross_entropy")
    summary = est.fit(data).summary
    jvm = data.sparkSession.sparkContext._jvm
    spec = jvm.io.sparkgrad.engine.train.ScheduleSpec("cosine", 0, 0.0, 0.02, 1)
    assert summary.learningRates == list(spec.rates(0.2, 3))
    with pytest.raises(Exception, match="needs lrStepSize"):
        MLPEstimator(layers=[2, 4, 3], lrSchedule="step").fit(data)
