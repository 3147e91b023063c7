"""spark-submit runs: the package from the jar alone, and the Python MNIST example."""

import json
import re
import zipfile
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parents[1]


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


def test_packages_resolve_from_a_maven_repository(spark, spark_submit, tmp_path):
    """spark-submit --packages io.sparkgrad:sparkgrad-spark_SCALA:VERSION, as from Maven Central.

    `mvn verify` deploys the modules to target/maven-repo before these tests. A home folder of its
    own keeps ~/.m2 and ~/.ivy2 out, so sparkgrad's jars can only come from that repository (the
    ONNX export's Tribuo and protobuf come from Maven Central, as a user's would); in Python
    spark-submit also puts them on the path, which is where `import sparkgrad` finds the package.
    """
    repo = REPO / "target" / "maven-repo"
    scala = spark.sparkContext._jvm.scala.util.Properties.versionNumberString()
    suffix = "_" + ".".join(scala.split(".")[:2])
    module = repo / "io" / "sparkgrad" / f"sparkgrad-spark{suffix}"
    versions = sorted(p.name for p in module.glob("*") if p.is_dir())
    assert len(versions) == 1, (
        f"no single sparkgrad-spark{suffix} version in {repo} ({versions}): `mvn verify` deploys it"
    )
    home = tmp_path / "home"
    home.mkdir()
    coordinate = f"io.sparkgrad:sparkgrad-spark{suffix}:{versions[0]}"
    deps = ["--packages", coordinate, "--repositories", repo.as_uri()]
    deps += ["--conf", f"spark.jars.ivy={tmp_path / 'ivy'}"]
    app = Path(__file__).parent / "apps" / "bundled_app.py"
    proc = spark_submit(
        [str(app)], cwd=tmp_path, deps=deps, env={"SPARK_SUBMIT_OPTS": f"-Duser.home={home}"}
    )
    result = json.loads(re.search(r"^RESULT (.*)$", proc.stdout, re.M).group(1))
    assert f"sparkgrad-spark{suffix}-{versions[0]}.jar" in result["sparkgrad_file"], result
    assert result["rows"] == 40 and result["epochs"] == [1, 2]
    resolved = sorted(p.name for p in (tmp_path / "ivy" / "jars").iterdir())
    modules = sorted(re.sub(r"-\d[^-]*(-SNAPSHOT)?\.jar$", "", name) for name in resolved)
    assert modules == [
        "com.google.protobuf_protobuf-java",
        "io.sparkgrad_sparkgrad-engine",
        f"io.sparkgrad_sparkgrad-spark{suffix}",
        "org.tribuo_tribuo-util-onnx",
    ], f"packages resolved other jars than sparkgrad's and the ONNX export's: {resolved}"


def test_mnist_example_trains_one_epoch(spark_submit, mnist_dir, tmp_path):
    example = PYTHON_DIR / "examples" / "mnist.py"
    proc = spark_submit(
        [str(example), "--epochs", "1", "--data", str(mnist_dir), "--output", str(tmp_path / "m")],
        cwd=tmp_path,
    )
    accuracy = float(re.search(r"Test accuracy ([\d.]+)%", proc.stdout).group(1))
    assert accuracy > 80, proc.stdout
    assert re.search(r"epoch\s+1\s+lr [\d.e-]+\s+train loss [\d.]+", proc.stdout), proc.stdout
    assert (tmp_path / "m" / "data").is_dir()
