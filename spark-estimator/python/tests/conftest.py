"""One local Spark session with the sparkgrad jars, shared by the tests, plus spark-submit.

The jar is the one users give spark-submit (--jars and --py-files): the assembly holding the
estimator, the engine and the Python package, from SPARKGRAD_JARS (comma-separated; mvn verify
sets it) or else from the spark-estimator/target folder. Nothing is skipped when something is missing: the
tests fail and say what to build or where to put the data.
"""

import glob
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]
# Test this working tree's sparkgrad, wherever pytest is started from and whatever is installed.
sys.path.insert(0, str(PYTHON_DIR))

# Before any JVM starts: Spark stays on loopback, one BLAS thread per task as in the Java tests.
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


def _find_jars() -> List[str]:
    listed = os.environ.get("SPARKGRAD_JARS")
    if listed:
        jars = [j for j in listed.split(",") if j]
    else:
        jars = [_newest(REPO / "spark-estimator" / "target", "sparkgrad-spark_*-assembly.jar")]
    missing = [j for j in jars if not j or not os.path.isfile(j)]
    if missing or not jars:
        pytest.fail(
            f"sparkgrad jar not found (got {jars}). Build it first: run "
            f"`mvn -B package -DskipTests` in {REPO}, or set SPARKGRAD_JARS to "
            "spark-estimator/target/sparkgrad-spark_SCALA-VERSION-assembly.jar.",
            pytrace=False,
        )
    return [os.path.abspath(j) for j in jars]


def _newest(folder: Path, pattern: str) -> str:
    found = [
        p
        for p in glob.glob(str(folder / pattern))
        if not p.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))
    ]
    return max(found, key=os.path.getmtime) if found else ""


@pytest.fixture(scope="session")
def jars() -> List[str]:
    """[the assembly jar]; the last one listed carries the Python package."""
    return _find_jars()


@pytest.fixture(scope="session", autouse=True)
def spark(jars):
    """Every test has it: the wrappers create their Java twin as soon as they are built."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("sparkgrad-python-tests")
        .config("spark.jars", ",".join(jars))
        .config("spark.driver.memory", "2g")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def mnist_dir(spark) -> Path:
    """The MNIST files as the Java tests find them: io.sparkgrad.engine.io.MnistFiles.find on this
    repository (../shared/data/mnist, else the cache data/mnist, fetched once)."""
    jvm = spark.sparkContext._jvm
    found = jvm.io.sparkgrad.engine.io.MnistFiles.find(jvm.java.io.File(str(REPO)).toPath())
    return Path(found.toString()).resolve()


@pytest.fixture(scope="session")
def spark_submit(jars):
    """Runs PySpark's own bin/spark-submit with the jars on --jars, returning the finished process.

    The spark-estimator jar is also given as --py-files: that is how `import sparkgrad` works on a
    cluster without pip, and the scripts these tests submit rely on it. `deps` replaces those two
    options (with --packages, say); `env` adds to the environment.
    """
    from pyspark.find_spark_home import _find_spark_home

    submit = os.path.join(_find_spark_home(), "bin", "spark-submit")

    def run(
        args: List[str],
        cwd: Path,
        timeout: float = 600,
        deps: Optional[List[str]] = None,
        env: Optional[Dict[str, str]] = None,
    ) -> subprocess.CompletedProcess:
        env = {**os.environ, **(env or {})}
        env.pop("PYTHONPATH", None)  # the jar, not this source tree, must provide sparkgrad
        env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = sys.executable
        cmd = [
            submit,
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            *(["--jars", ",".join(jars), "--py-files", jars[-1]] if deps is None else deps),
            *args,
        ]
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
        if proc.returncode != 0:
            pytest.fail(
                f"spark-submit exited {proc.returncode}: {' '.join(cmd)}\n--- stdout\n"
                f"{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-8000:]}",
                pytrace=False,
            )
        return proc

    return run


def _rows(n: int, seed: int):
    """n points of two coordinates, reproducible without numpy."""
    import random

    rnd = random.Random(seed)
    return [(rnd.uniform(-2, 2), rnd.uniform(-2, 2)) for _ in range(n)]


@pytest.fixture(scope="session")
def make_data(spark):
    """make_data(kind) -> DataFrame(features: Vector[2], label: Double) for a loss.

    mse: label = 2*x0 - x1 + 0.5; bce: label = 1 when x0 + x1 > 0; cross_entropy: the quadrant
    pair (0: x0 < 0, 1: x0 >= 0 and x1 < 0, 2: otherwise). All separable by a small MLP.
    """
    from pyspark.ml.linalg import Vectors

    def label(kind: str, x0: float, x1: float) -> float:
        if kind == "mse":
            return 2 * x0 - x1 + 0.5
        if kind == "bce":
            return float(x0 + x1 > 0)
        return 0.0 if x0 < 0 else (1.0 if x1 < 0 else 2.0)

    def make(kind: str, n: int = 400, seed: int = 7):
        data = [(Vectors.dense([a, b]), label(kind, a, b)) for a, b in _rows(n, seed)]
        return spark.createDataFrame(data, ["features", "label"]).repartition(2).cache()

    return make
