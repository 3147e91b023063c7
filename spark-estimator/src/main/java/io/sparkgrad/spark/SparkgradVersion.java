package io.sparkgrad.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the sparkgrad jar on the class path, as Maven built it. */
public final class SparkgradVersion {
  private SparkgradVersion() {}

  /** The project version, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    try (InputStream in = SparkgradVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "io/sparkgrad/spark/version.properties is missing from the sparkgrad jar; rebuild it"
                + " with mvn package");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
