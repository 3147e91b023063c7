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
from pyspark.find_spark_home import _find_spark_home

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


def test_fit_transform_save_load_through_connect(connect_url, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    client = PYTHON_DIR / "tests" / "apps" / "connect_client.py"
    proc = subprocess.run(
        [sys.executable, str(client), connect_url, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"client failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    result = json.loads(re.search(r"^RESULT (.*)$", proc.stdout, re.M).group(1))
    assert result["columns"] == ["features", "label", "rawPrediction", "probability", "prediction"]
    assert result["accuracy"] > 0.9, result
    assert result["model"].startswith("MLPModel: uid=MLPEstimator_")  # toString ran on the server
    assert result["loaded_same_predictions"] is True
    assert result["loaded_estimator_layers"] == [2, 8, 2]
    assert "not available through Spark Connect" in result["summary_error"]
