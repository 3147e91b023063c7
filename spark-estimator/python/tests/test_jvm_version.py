"""The wrapper refuses a JVM whose sparkgrad jar is missing or of another version."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sparkgrad
from sparkgrad import MLPEstimator, jvm

PYTHON_DIR = Path(__file__).resolve().parents[1]


def test_the_jar_on_the_jvm_has_this_package_version(spark):
    jar = spark.sparkContext._jvm.io.sparkgrad.spark.SparkgradVersion.get()
    assert jvm.release(jar) == jvm.release(sparkgrad.__version__)


def test_another_version_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setattr(jvm, "__version__", "9.9.9")
    monkeypatch.setattr(jvm, "_checked", set())
    with pytest.raises(RuntimeError) as err:
        MLPEstimator(layers=[2, 1])
    message = str(err.value)
    assert "version 0.1.0" in message and "9.9.9" in message, message
    assert "pip install sparkgrad==0.1.0" in message, message


def test_a_session_without_the_jar_is_told_how_to_add_it(tmp_path):
    script = textwrap.dedent(
        """
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master("local[1]")
                 .config("spark.driver.bindAddress", "127.0.0.1")
                 .config("spark.driver.host", "127.0.0.1")
                 .config("spark.ui.enabled", "false").getOrCreate())
        from sparkgrad import MLPEstimator
        try:
            MLPEstimator(layers=[2, 1])
        except RuntimeError as e:
            print("ERROR", e)
        """
    )
    env = dict(os.environ)
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    # This working tree's package, as conftest gives the tests, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PYTHON_DIR), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert "ERROR The sparkgrad jar is not on the JVM's class path" in proc.stdout, (
        proc.stdout + proc.stderr[-3000:]
    )
    assert "spark-submit --packages io.sparkgrad:sparkgrad-spark_2.13:" in proc.stdout
    assert "--jars sparkgrad-spark_2.13-" in proc.stdout
