package io.sparkgrad.spark.persistence;

import io.sparkgrad.engine.onnx.MlpOnnx;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/** Writes an exported ONNX model through Hadoop's FileSystem, as the model's other files are. */
public final class OnnxFile {
  private OnnxFile() {}

  /**
   * Writes {@code bytes} to {@code path} (any Hadoop file system: local, HDFS, S3A...). Without
   * {@code overwrite} an existing path is refused before anything is written.
   */
  public static void write(String path, byte[] bytes, boolean overwrite) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(hadoopConf());
      if (fs.exists(p)) {
        if (fs.getFileStatus(p).isDirectory()) {
          throw new IllegalArgumentException(
              "Cannot save the ONNX model: "
                  + path
                  + " is a directory; give a file path such as "
                  + new Path(p, "model.onnx"));
        }
        if (!overwrite) {
          throw new IllegalArgumentException(
              MlpOnnx.refusal(
                  path, "saveOnnx(path, true) (Python: saveOnnx(path, overwrite=True))"));
        }
      }
      try (FSDataOutputStream out = fs.create(p, overwrite)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the ONNX model to " + path, e);
    }
  }

  /** The active session's Hadoop settings (credentials, default file system), else defaults. */
  private static Configuration hadoopConf() {
    Option<SparkSession> session = SparkSession.getActiveSession();
    if (session.isEmpty()) {
      session = SparkSession.getDefaultSession();
    }
    return session.isDefined()
        ? session.get().sparkContext().hadoopConfiguration()
        : new Configuration();
  }
}
