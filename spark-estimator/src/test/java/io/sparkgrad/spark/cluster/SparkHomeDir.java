package io.sparkgrad.spark.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A directory that a Worker accepts as SPARK_HOME: only {@code jars/}, holding symlinks to the jars
 * on this JVM's class path. Workers build their executors' class path from {@code SPARK_HOME/jars};
 * nothing else of a Spark distribution is needed.
 */
final class SparkHomeDir {
  private SparkHomeDir() {}

  /** Links the class path's jars that {@code include} accepts. */
  static Path create(Path dir, Predicate<Path> include) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    Set<String> names = new HashSet<>();
    for (Path entry : ClassPath.entries()) {
      String fileName = entry.getFileName().toString();
      if (!fileName.endsWith(".jar") || !Files.isRegularFile(entry) || !include.test(entry)) {
        continue;
      }
      // Two artifacts may share a file name (same artifactId, different groupId).
      String name = fileName;
      for (int i = 2; !names.add(name); i++) {
        name = i + "-" + fileName;
      }
      Files.createSymbolicLink(jars.resolve(name), entry);
    }
    return dir;
  }
}
