"""Checks, once per SparkContext, that the JVM has the sparkgrad jar this package was made for."""

from typing import Any, Set

__version__ = "0.1.0"

_checked: Set[int] = set()


def release(version: str) -> str:
    """The release a version names: Maven's 0.1.0-SNAPSHOT and pip's 0.1.0 are both 0.1.0."""
    return version.split("-")[0]


def check_jvm_side() -> None:
    """Raises RuntimeError, saying how to fix it, unless the JVM's sparkgrad jar is ours."""
    from py4j.java_gateway import JavaClass
    from pyspark import SparkContext

    sc: Any = SparkContext._active_spark_context
    if sc is None or id(sc) in _checked:
        return  # without a context PySpark's own wrappers say that one is needed

    version_class = sc._jvm.io.sparkgrad.spark.SparkgradVersion
    if not isinstance(version_class, JavaClass):
        raise RuntimeError(
            "The sparkgrad jar is not on the JVM's class path (io.sparkgrad.spark.SparkgradVersion"
            f" was not found), or it is older than this Python package ({__version__}). Start"
            " Spark with the jar of the same version, built for its Scala version: spark-submit"
            f" --packages io.sparkgrad:sparkgrad-spark_2.13:{__version__} (_2.12 on a Scala 2.12 Spark"
            f" such as pip's PySpark 3.5), --jars sparkgrad-spark_2.13-{__version__}-assembly.jar, or"
            " SparkSession.builder.config('spark.jars', '/path/to/that.jar')."
        )
    jar = str(version_class.get())
    if release(jar) != release(__version__):
        raise RuntimeError(
            f"The sparkgrad jar on the JVM is version {jar} but this Python package is"
            f" {__version__}: their params and files may differ. Use the jar of {__version__}"
            f" (spark-submit --jars), or pip install sparkgrad=={release(jar)}."
        )
    _checked.add(id(sc))
