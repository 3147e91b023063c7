"""The Python package, the jars and the Spark version agree with each other."""

import re
import zipfile
from pathlib import Path

import pyspark

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]


def test_pyspark_range_covers_the_build_and_the_test_pin_equals_it():
    pom = (REPO / "pom.xml").read_text()
    spark_version = re.search(r"<spark.version>([^<]+)</spark.version>", pom).group(1)
    pyproject = (PYTHON_DIR / "pyproject.toml").read_text()
    ranges = re.findall(r'"pyspark\[ml\]([^"]+)"', pyproject)
    assert ranges == [">=3.5.0,!=4.0.0,<4.3"], ranges
    assert _in_range(spark_version, ranges[0]), f"{spark_version} is outside {ranges[0]}"
    pins = re.findall(r'"pyspark\[connect\]==([^"]+)"', pyproject)
    assert pins == [spark_version], f"the test extra pins {pins}, the pom has {spark_version}"
    assert _in_range(pyspark.__version__, ranges[0]), (
        f"pyspark {pyspark.__version__} installed, outside {ranges[0]}"
    )


def _in_range(version: str, spec: str) -> bool:
    v = tuple(int(p) for p in version.split(".")[:3])
    for clause in spec.split(","):
        op, bound = re.match(r"(>=|<|!=)(.+)", clause).groups()
        b = tuple(int(p) for p in bound.split("."))
        if (op == ">=" and v < b) or (op == "<" and v[: len(b)] >= b) or (op == "!=" and v == b):
            return False
    return True


def test_version_range_reading():
    assert _in_range("3.5.9", ">=3.5.0,!=4.0.0,<4.3")
    assert _in_range("4.2.1", ">=3.5.0,!=4.0.0,<4.3")
    assert not _in_range("4.0.0", ">=3.5.0,!=4.0.0,<4.3")
    assert not _in_range("4.3.0", ">=3.5.0,!=4.0.0,<4.3")
    assert not _in_range("3.4.4", ">=3.5.0,!=4.0.0,<4.3")


def test_package_version_matches_pyproject():
    import sparkgrad

    pyproject = (PYTHON_DIR / "pyproject.toml").read_text()
    assert f'version = "{sparkgrad.__version__}"' in pyproject


def test_jar_registers_the_stages_for_spark_connect(jars):
    with zipfile.ZipFile(jars[-1]) as jar:
        services = {
            kind: jar.read(f"META-INF/services/org.apache.spark.ml.{kind}").decode().split()
            for kind in ("Estimator", "Transformer")
        }
        assert "io/sparkgrad/spark/MLPModel.class" in jar.namelist()
    assert services == {
        "Estimator": ["io.sparkgrad.spark.MLPEstimator"],
        "Transformer": ["io.sparkgrad.spark.MLPModel"],
    }


def test_the_assembly_holds_sparkgrad_alone(jars):
    """One jar for --jars and --py-files: estimator, engine, Python package; Spark gives the rest.

    The ONNX export's libraries (protobuf, ONNX's schema classes, Tribuo's builders) are inside,
    relocated under io/sparkgrad/shaded/ so they cannot meet the protobuf of a Spark line.
    """
    with zipfile.ZipFile(jars[-1]) as jar:
        names = jar.namelist()
    assert "io/sparkgrad/engine/Tensor.class" in names
    assert "io/sparkgrad/spark/MLPEstimator.class" in names
    assert "sparkgrad/mlp.py" in names
    assert "io/sparkgrad/shaded/protobuf/GeneratedMessageV3.class" in names
    assert "io/sparkgrad/shaded/onnx/proto/OnnxMl.class" in names
    assert "io/sparkgrad/shaded/tribuo/util/onnx/ONNXContext.class" in names
    with zipfile.ZipFile(jars[-1]) as jar:
        notices = jar.read("META-INF/THIRD-PARTY-NOTICES.txt").decode()
    assert "Copyright 2008 Google Inc." in notices and "Tribuo" in notices, notices[:300]
    others = {
        n.split("/")[0]
        for n in names
        if not n.endswith("/") and not n.startswith(("io/sparkgrad/", "sparkgrad/", "META-INF/"))
    }
    assert not others, f"the assembly bundles more than sparkgrad: {sorted(others)}"


def test_the_installed_package_is_this_sources_wheel():
    """The README's test command pip-installs this folder as a wheel beside PySpark 4.2: what
    pip installed is this source, file for file (the PySpark 3.5 side is bin/test-spark-versions)."""
    import json
    from importlib import metadata

    dist = metadata.distribution("sparkgrad")
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    assert not direct.get("dir_info", {}).get("editable"), (
        "sparkgrad is installed in editable mode; install the wheel:"
        ' python3 -m pip install "./spark-estimator/python[test]"'
    )
    installed = {f.name: f for f in dist.files or [] if f.parent.name == "sparkgrad"}
    for source in (PYTHON_DIR / "sparkgrad").glob("*.py"):
        assert source.name in installed, f"{source.name} is not in the installed wheel"
        assert dist.locate_file(installed[source.name]).read_bytes() == source.read_bytes(), (
            f"the installed {source.name} differs from the source: run"
            ' python3 -m pip install "./spark-estimator/python[test]" again'
        )
    pyproject = (PYTHON_DIR / "pyproject.toml").read_text()
    assert dist.version == re.search(r'version = "([^"]+)"', pyproject).group(1)
