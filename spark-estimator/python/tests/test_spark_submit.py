"""spark-submit runs: the package from the jar alone, and the Python MNIST example."""

import json
import re
import zipfile
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]


def test_jar_carries_the_python_package(jars):
    with zipfile.ZipFile(jars[-1]) as jar:
        names = set(jar.namelist())
        for source in (PYTHON_DIR / "sparkgrad").glob("*.py"):
            entry = f"sparkgrad/{source.name}"
            assert entry in names, f"{entry} missing from {jars[-1]}: run mvn package again"
            assert jar.read(entry) == source.read_bytes(), f"{entry} in the jar is stale"
        assert not [n for n in names if n.startswith("tests/") or n.endswith(".pyc")]


def test_import_from_the_jar_without_pip(spark_submit, tmp_path):
    app = Path(__file__).parent / "apps" / "bundled_app.py"
    proc = spark_submit([str(app)], cwd=tmp_path)
    result = json.loads(re.search(r"^RESULT (.*)$", proc.stdout, re.M).group(1))
    assert ".jar" in result["sparkgrad_file"], result  # not this source tree, not site-packages
    assert result["rows"] == 40 and result["epochs"] == [1, 2]
    assert result["weight_shape"] == [3, 2]


def test_mnist_example_trains_one_epoch(spark_submit, mnist_dir, tmp_path):
    example = PYTHON_DIR / "examples" / "mnist.py"
    proc = spark_submit(
        [str(example), "--epochs", "1", "--data", str(mnist_dir), "--output", str(tmp_path / "m")],
        cwd=tmp_path,
    )
    accuracy = float(re.search(r"Test accuracy ([\d.]+)%", proc.stdout).group(1))
    assert accuracy > 80, proc.stdout
    assert re.search(r"epoch\s+1\s+train loss [\d.]+", proc.stdout), proc.stdout
    assert (tmp_path / "m" / "data").is_dir()
