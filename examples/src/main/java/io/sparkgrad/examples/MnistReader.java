package io.sparkgrad.examples;

import io.sparkgrad.engine.io.IdxFile;
import io.sparkgrad.engine.io.IdxReader;
import io.sparkgrad.engine.io.MnistFiles;
import io.sparkgrad.spark.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * IDX image and label files (MNIST's format, .gz or raw) as a DataFrame of {@code features}
 * (Vector) and {@code label} (Double). Rows are built inside the tasks, each reading the files and
 * keeping its slice, so the driver never holds the whole set; the files must be readable at the
 * same path on every executor (local mode, or a shared mount). Tutorial data, so it lives with the
 * examples; the product reads DataFrames the user brings.
 */
public final class MnistReader {
  /** The tutorial's normalisation: ToTensor() then Normalize((0.1307,), (0.3081,)). */
  public static final double MEAN = 0.1307;

  public static final double STD = 0.3081;

  public static final StructType SCHEMA =
      new StructType()
          .add("features", SQLDataTypes.VectorType(), false)
          .add("label", DataTypes.DoubleType, false);

  private MnistReader() {}

  /**
   * The MNIST {@code split} ("train" or "t10k", also "test") from the four standard file names in
   * {@code dir}, normalised as the tutorial does, in {@code partitions} contiguous slices.
   */
  public static Dataset<Row> read(SparkSession spark, Path dir, String split, int partitions) {
    String prefix = split.equals("test") ? "t10k" : split;
    Path images = MnistFiles.file(dir, prefix + "-images-idx3-ubyte");
    Path labels = MnistFiles.file(dir, prefix + "-labels-idx1-ubyte");
    return read(spark, images, labels, partitions, true);
  }

  /** Any pair of IDX image and label files; pixels scaled to [0, 1], then normalised if asked. */
  public static Dataset<Row> read(
      SparkSession spark, Path images, Path labels, int partitions, boolean normalize) {
    requireFiles(images, labels);
    String img = images.toAbsolutePath().toString();
    String lab = labels.toAbsolutePath().toString();
    List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(slices, partitions)
            .mapPartitions(
                (Iterator<Integer> it) -> {
                  if (!it.hasNext()) {
                    return Collections.emptyIterator();
                  }
                  int slice = it.next();
                  IdxFile x = IdxReader.read(Path.of(img));
                  IdxFile y = IdxReader.read(Path.of(lab));
                  int count = pairedCount(x, y, img, lab);
                  int from = (int) ((long) count * slice / partitions);
                  int to = (int) ((long) count * (slice + 1) / partitions);
                  // Rows are made as Spark pulls them: a partition's rows as doubles would be
                  // eight times its pixels, all alive at once.
                  return IntStream.range(from, to)
                      .mapToObj(i -> row(x.bytes(), y.bytes()[i], i, x.itemSize(), normalize))
                      .iterator();
                });
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Image {@code i} as a Vector of scaled (and normalised if asked) pixels, and its label. */
  private static Row row(byte[] pixels, byte label, int i, int d, boolean normalize) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      double p = (pixels[i * d + j] & 0xff) / 255.0;
      v[j] = normalize ? (p - MEAN) / STD : p;
    }
    return RowFactory.create(Vectors.dense(v), (double) (label & 0xff));
  }

  /** Fails on the driver, before any job, when a file is missing. */
  private static void requireFiles(Path images, Path labels) {
    for (Path p : new Path[] {images, labels}) {
      if (!Files.isRegularFile(p)) {
        throw new InvalidInputException(
            "IDX file "
                + p
                + " does not exist; check the data path (MNIST's four files are"
                + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-..., raw or .gz).");
      }
    }
  }

  /**
   * The number of items when the files pair up (n x rows x cols images, n labels). Checked in the
   * tasks, which read the files anyway, so the driver never reads the images.
   */
  static int pairedCount(IdxFile x, IdxFile y, String images, String labels) {
    if (x.dims().length != 3 || y.dims().length != 1 || x.count() != y.count()) {
      throw new InvalidInputException(
          "IDX files "
              + images
              + " and "
              + labels
              + " do not pair up: expected images n x rows x cols and n labels, got "
              + java.util.Arrays.toString(x.dims())
              + " and "
              + java.util.Arrays.toString(y.dims()));
    }
    return x.count();
  }
}
