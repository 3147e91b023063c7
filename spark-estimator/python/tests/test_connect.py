"""Spark Connect: a real server on 127.0.0.1 with our jars, a real client fitting through it.

The server finds MLPEstimator and MLPModel through META-INF/services (Spark's ServiceLoader
registry for Connect ML) and builds them with their (String uid) constructors.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apps.connect_data import LAYERS, estimator, points
from pyspark.find_spark_home import _find_spark_home
from pyspark.sql import SparkSession

PYTHON_DIR = Path(__file__).resolve().parents[1]
CONNECT_JAR = "spark-connect_*.jar"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Connect server exited {server.returncode}:\n{log.read_text()[-6000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(1)
    pytest.fail(f"Connect server not listening on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="module")
def connect_url(jars, tmp_path_factory):
    home = _find_spark_home()
    assert list(Path(home, "jars").glob(CONNECT_JAR)), f"pyspark ships no {CONNECT_JAR} in {home}"
    port = free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    cmd = [
        os.path.join(home, "bin", "spark-submit"),
        "--master", "local[2]",
        "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--jars", ",".join(jars),
        "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
        "--conf", f"spark.connect.grpc.binding.port={port}",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "spark-internal",
    ]  # fmt: skip
    with open(log, "w") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, server, log)
        yield f"sc://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_client(connect_url: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    client = PYTHON_DIR / "tests" / "apps" / "connect_client.py"
    proc = subprocess.run(
        [sys.executable, str(client), connect_url, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"client failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return json.loads(re.search(r"^RESULT (.*)$", proc.stdout, re.M).group(1))


@pytest.fixture(scope="module")
def through_connect(connect_url, tmp_path_factory) -> dict:
    """One client run covers every check below, so the server's JVM warms up once."""
    return run_client(connect_url, tmp_path_factory.mktemp("connect-client"))


def test_fit_transform_save_load_through_connect(through_connect):
    result = through_connect
    assert result["columns"][-3:] == ["rawPrediction", "probability", "prediction"]
    assert result["accuracy"] > 0.9, result
    assert result["model"].startswith("MLPModel: uid=MLPEstimator_")  # toString ran on the server
    assert result["loaded_same_predictions"] is True
    assert result["loaded_estimator_layers"] == LAYERS


@pytest.fixture(scope="module")
def classic_model():
    """The client's first fit, in this process's classic session."""
    return estimator().fit(points(SparkSession.getActiveSession()))


def test_summary_through_connect_equals_the_classic_fit(through_connect, classic_model):
    classic = classic_model.summary
    remote = through_connect["summary"]
    assert through_connect["has_summary"] is True
    assert remote["objectiveHistory"] == classic.objectiveHistory == classic.trainLoss
    assert remote["totalIterations"] == classic.totalIterations == len(classic.objectiveHistory)
    assert remote["trainLoss"] == classic.trainLoss
    assert remote["validationLoss"] == classic.validationLoss  # no NaN: every fifth row validates
    assert remote["validationMetric"] == classic.validationMetric
    assert remote["epochs"] == classic.epochs
    assert remote["rows"] == classic.rows
    assert remote["numWorkers"] == classic.numWorkers == 2
    assert remote["epochsRun"] == classic.epochsRun
    # A model read back from disk has no summary, over Connect as in a classic session.
    assert through_connect["loaded_has_summary"] is False


def test_connect_model_cache_counts_the_weights(through_connect, classic_model):
    size = classic_model._java_obj.estimatedSize()
    parameters = sum(a * b + b for a, b in zip(LAYERS, LAYERS[1:]))
    assert parameters * 4 <= size
    # Memory control (on by default since Spark 4.1) sizes each cached model by estimatedSize.
    assert through_connect["cache_sizes"], "the server's model cache lists no MLPModel"
    assert set(through_connect["cache_sizes"]) == {size}


def test_pipeline_through_connect(through_connect):
    result = through_connect
    assert result["pipeline_stage"] == result["pipeline_loaded_stage"] == "MLPModel"
    assert result["pipeline_stage_summary"]["totalIterations"] == 2
    assert result["pipeline_loaded_same_predictions"] is True


def test_cross_validator_through_connect(through_connect):
    result = through_connect
    slow, fast = result["cv_avg_metrics"]  # learningRate 0.001, then 0.05, for 2 epochs
    assert fast > slow, result["cv_avg_metrics"]
    assert result["cv_best_model"] == "MLPModel"
    assert result["cv_best_accuracy"] > 0.8
    assert result["cv_loaded_same_predictions"] is True
