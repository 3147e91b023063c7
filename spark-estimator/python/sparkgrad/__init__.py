"""sparkgrad for PySpark: the MLPEstimator and MLPModel Spark ML stages from Python.

Needs the sparkgrad jars on the JVM's classpath (spark.jars, or spark-submit --jars).
Importing this package also makes saved Pipelines holding these stages loadable from Python.
"""

from sparkgrad.mlp import JAVA_CLASSES, MLPEstimator, MLPModel
from sparkgrad.summary import TrainingSummary

__version__ = "0.1.0"
__all__ = ["MLPEstimator", "MLPModel", "TrainingSummary", "JAVA_CLASSES"]
