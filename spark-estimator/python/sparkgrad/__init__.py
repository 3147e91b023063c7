"""sparkgrad for PySpark: the MLPEstimator and MLPModel Spark ML stages from Python.

Needs the sparkgrad jars on the JVM's classpath (spark.jars, or spark-submit --jars).
Importing this package also makes saved Pipelines holding these stages loadable from Python.
"""

from sparkgrad.jvm import __version__
from sparkgrad.mlp import JAVA_CLASSES, MLPEstimator, MLPModel
from sparkgrad.summary import TrainingSummary

__all__ = ["__version__", "MLPEstimator", "MLPModel", "TrainingSummary", "JAVA_CLASSES"]
