"""saveOnnx writes a model that ONNX Runtime scores as transform() does, on MNIST rows.

Small nets (784-12-8-K) trained for one epoch on 512 training rows, compared on 256 test rows,
for every loss and every hidden activation, within 1e-5.
"""

import gzip
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from pyspark.errors import IllegalArgumentException
from pyspark.ml.linalg import Vectors

from sparkgrad import MLPEstimator

TRAIN_ROWS = 512
TEST_ROWS = 256
TOLERANCE = 1e-5


def read_idx(folder: Path, prefix: str, rows: int):
    """The first rows of an MNIST split: pixels / 255 as float64, and the digits."""

    def open_file(name: str):
        plain = folder / name
        return open(plain, "rb") if plain.exists() else gzip.open(f"{plain}.gz", "rb")

    with open_file(f"{prefix}-images-idx3-ubyte") as f:
        f.read(16)
        pixels = np.frombuffer(f.read(rows * 784), dtype=np.uint8).reshape(rows, 784)
    with open_file(f"{prefix}-labels-idx1-ubyte") as f:
        f.read(8)
        digits = np.frombuffer(f.read(rows), dtype=np.uint8)
    return pixels / 255.0, digits


def label_for(loss: str, digit: int):
    if loss == "cross_entropy":
        return float(digit)
    if loss == "bce":
        return float(digit % 2)
    return Vectors.dense([digit / 9.0, float(digit % 2)])  # mse with two outputs


def outputs_for(loss: str) -> int:
    return {"cross_entropy": 10, "bce": 1, "mse": 2}[loss]


@pytest.fixture(scope="module")
def mnist(spark, mnist_dir):
    train = read_idx(mnist_dir, "train", TRAIN_ROWS)
    test = read_idx(mnist_dir, "t10k", TEST_ROWS)

    def frame(loss: str, split):
        x, digits = split
        rows = [(Vectors.dense(r), label_for(loss, int(d))) for r, d in zip(x, digits)]
        return spark.createDataFrame(rows, ["features", "label"]).coalesce(1)

    return train, test, frame


def fit(mnist, loss: str, activation: str, layers=None):
    train, _, frame = mnist
    mlp = MLPEstimator(
        layers=layers or [784, 12, 8, outputs_for(loss)],
        activation=activation,
        loss=loss,
        optimizer="adam",
        learningRate=0.01,
        batchSize=64,
        maxEpochs=1,
        numWorkers=1,
        seed=11,
    )
    return mlp.fit(frame(loss, train))


def spark_and_onnx(model, mnist, loss: str, path: Path):
    """transform()'s appended columns and ONNX Runtime's outputs on the same test rows."""
    _, test, frame = mnist
    model.saveOnnx(str(path))
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    onnx = dict(zip(names, session.run(None, {"features": test[0].astype(np.float32)})))
    rows = model.transform(frame(loss, test)).collect()

    def column(name: str):
        values = [r[name] for r in rows]
        return np.array([v.toArray() if hasattr(v, "toArray") else v for v in values])

    return {n: column(n) for n in names}, onnx


def assert_same_decisions(spark_pred, onnx_pred, margin, at_least: float = 0.95):
    """Predictions agree wherever the decision is not within the tolerance of a tie."""
    clear = margin > TOLERANCE
    assert clear.mean() >= at_least, f"too many near ties: {clear.mean()}"
    np.testing.assert_array_equal(onnx_pred[clear], spark_pred[clear].astype(np.int64))


# Each loss and each hidden activation once: the activation's node does not depend on the loss's
# output nodes, so the full product would add fits (CI time), not coverage.
@pytest.mark.parametrize(
    "loss, activation", [("cross_entropy", "relu"), ("bce", "sigmoid"), ("mse", "tanh")]
)
def test_onnx_runtime_matches_transform(mnist, loss, activation, tmp_path):
    model = fit(mnist, loss, activation)
    spark, onnx = spark_and_onnx(model, mnist, loss, tmp_path / "model.onnx")
    n = TEST_ROWS
    if loss == "mse":
        assert list(onnx) == ["prediction"]
        assert onnx["prediction"].shape == (n, 2) and onnx["prediction"].dtype == np.float32
        np.testing.assert_allclose(onnx["prediction"], spark["prediction"], atol=TOLERANCE, rtol=0)
        return
    k = 10 if loss == "cross_entropy" else 2
    assert list(onnx) == ["rawPrediction", "probability", "prediction"]
    assert onnx["rawPrediction"].shape == (n, k) and onnx["probability"].shape == (n, k)
    assert onnx["prediction"].shape == (n,) and onnx["prediction"].dtype == np.int64
    for name in ("rawPrediction", "probability"):
        np.testing.assert_allclose(onnx[name], spark[name], atol=TOLERANCE, rtol=0, err_msg=name)
    if loss == "bce":
        margin = np.abs(spark["probability"][:, 1] - 0.5)
    else:
        top2 = np.sort(spark["rawPrediction"], axis=1)[:, -2:]
        margin = top2[:, 1] - top2[:, 0]
    assert_same_decisions(spark["prediction"], onnx["prediction"], margin)


def test_one_output_mse_predicts_one_value_per_row(spark, mnist, tmp_path):
    train, test, frame = mnist
    rows = [(Vectors.dense(r), int(d) / 9.0) for r, d in zip(*train)]
    df = spark.createDataFrame(rows, ["features", "label"])
    model = MLPEstimator(
        layers=[784, 6, 1], activation="relu", loss="mse", maxEpochs=1, numWorkers=1, seed=3
    ).fit(df)
    path = tmp_path / "one.onnx"
    model.saveOnnx(str(path))
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (onnx,) = session.run(None, {"features": test[0].astype(np.float32)})
    spark = np.array([r.prediction for r in model.transform(frame("bce", test)).collect()])
    assert onnx.shape == (TEST_ROWS,)
    np.testing.assert_allclose(onnx, spark, atol=TOLERANCE, rtol=0)


def test_column_params_name_the_outputs_and_threshold_decides(mnist, tmp_path):
    model = fit(mnist, "bce", "relu", layers=[784, 6, 1])
    model.setRawPredictionCol("").setProbabilityCol("p").setPredictionCol("odd").setThreshold(0.3)
    spark, onnx = spark_and_onnx(model, mnist, "bce", tmp_path / "renamed.onnx")
    assert list(onnx) == ["p", "odd"]
    np.testing.assert_allclose(onnx["p"], spark["p"], atol=TOLERANCE, rtol=0)
    margin = np.abs(spark["p"][:, 1] - 0.3)
    assert_same_decisions(spark["odd"], onnx["odd"], margin)


def test_save_onnx_refuses_an_existing_file_unless_overwrite(mnist, tmp_path):
    model = fit(mnist, "cross_entropy", "relu", layers=[784, 4, 10])
    path = tmp_path / "model.onnx"
    path.write_bytes(b"older")
    with pytest.raises(IllegalArgumentException, match="already exists and overwrite is off"):
        model.saveOnnx(str(path))
    assert path.read_bytes() == b"older"
    model.saveOnnx(str(path), overwrite=True)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["features"]
    assert session.get_inputs()[0].shape == ["batch", 784]
