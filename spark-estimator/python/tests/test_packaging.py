"""The Python package, the jars and the Spark version agree with each other."""

import re
import zipfile
from pathlib import Path

import pyspark

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]


def test_pyspark_is_pinned_to_the_pom_spark_version():
    pom = (REPO / "pom.xml").read_text()
    spark_version = re.search(r"<spark.version>([^<]+)</spark.version>", pom).group(1)
    pins = re.findall(
        r'"pyspark(?:\[\w+\])?==([^"]+)"', (PYTHON_DIR / "pyproject.toml").read_text()
    )
    assert pins and set(pins) == {
        spark_version
    }, f"pyproject pins {pins}, the pom has {spark_version}"
    assert (
        pyspark.__version__ == spark_version
    ), f"pyspark {pyspark.__version__} installed; run pip install pyspark=={spark_version}"


def test_package_version_matches_pyproject():
    import sparkgrad

    pyproject = (PYTHON_DIR / "pyproject.toml").read_text()
    assert f'version = "{sparkgrad.__version__}"' in pyproject


def test_jar_registers_the_stages_for_spark_connect(jars):
    with zipfile.ZipFile(jars[1]) as jar:
        services = {
            kind: jar.read(f"META-INF/services/org.apache.spark.ml.{kind}").decode().split()
            for kind in ("Estimator", "Transformer")
        }
        assert "io/sparkgrad/spark/MLPModel.class" in jar.namelist()
    assert services == {
        "Estimator": ["io.sparkgrad.spark.MLPEstimator"],
        "Transformer": ["io.sparkgrad.spark.MLPModel"],
    }
