package io.sparkgrad.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs class directories into a jar for {@code spark.jars}.
 *
 * <p>Executors of a standalone cluster load the application's classes from {@code spark.jars};
 * without them the first Java lambda fails to deserialize. In a Maven reactor build the project's
 * own modules are directories ({@code target/classes}, {@code target/test-classes}), not jars, so
 * they are packed here.
 */
public final class AppJar {
  private AppJar() {}

  /**
   * Writes a jar holding every file under {@code classDirs}; when two directories hold the same
   * path, the first one wins, as on a class path.
   */
  public static Path build(Path out, Path... classDirs) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Set<String> written = new HashSet<>();
    written.add("META-INF/");
    written.add("META-INF/MANIFEST.MF");
    try (OutputStream file = Files.newOutputStream(out);
        JarOutputStream jar = new JarOutputStream(file, manifest)) {
      for (Path dir : classDirs) {
        if (!Files.isDirectory(dir)) {
          throw new IOException("Not a directory of classes: " + dir);
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
          entries = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path path : entries) {
          String name = dir.relativize(path).toString().replace(File.separatorChar, '/');
          boolean isDir = Files.isDirectory(path);
          if (isDir) {
            name += "/";
          }
          if (!written.add(name)) {
            continue;
          }
          jar.putNextEntry(new JarEntry(name));
          if (!isDir) {
            Files.copy(path, jar);
          }
          jar.closeEntry();
        }
      }
    }
    return out;
  }

  /**
   * Writes a jar of every directory on this JVM's class path: the classes of the module under test
   * and of the reactor modules it depends on. Jars on the class path are left out; a {@link
   * LocalStandaloneCluster} already gives them to its executors.
   */
  public static Path buildFromClassPathDirectories(Path out) throws IOException {
    return build(out, classPathDirectories().toArray(Path[]::new));
  }

  /** The directory entries of {@code java.class.path}, in order. */
  static List<Path> classPathDirectories() {
    List<Path> dirs = new ArrayList<>();
    for (Path entry : ClassPath.entries()) {
      if (Files.isDirectory(entry)) {
        dirs.add(entry);
      }
    }
    return dirs;
  }
}
