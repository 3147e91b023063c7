package io.sparkgrad.spark.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This JVM's class path. */
final class ClassPath {
  private ClassPath() {}

  /**
   * The entries of {@code java.class.path}. Surefire's forked JVMs start from a manifest-only jar
   * but reset this property to the real test class path, so it lists every jar and directory.
   */
  static List<Path> entries() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry).toAbsolutePath());
      }
    }
    return entries;
  }

  /** The class path string for child JVMs. */
  static String asString() {
    return System.getProperty("java.class.path");
  }
}
