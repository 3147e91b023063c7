package io.sparkgrad.engine.testdata;

import io.sparkgrad.engine.io.MnistFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests of every module find their data: the repository's {@code data/diabetes}, and
 * MNIST through {@link MnistFiles#find} (fetched once into the repository's {@code data/mnist}
 * cache unless {@code ../shared/data/mnist} holds it). Published in the engine's test jar.
 */
public final class TestData {
  private static Path mnist;

  private TestData() {}

  /**
   * The repository root: {@code sparkgrad.repo.dir} (the build sets it), else the module's parent.
   */
  public static Path repo() {
    return Path.of(System.getProperty("sparkgrad.repo.dir", "..")).toAbsolutePath().normalize();
  }

  /** A file of {@code data/diabetes}, e.g. {@code diabetes.raw-kaggle.csv}. */
  public static Path diabetes(String name) {
    Path file = repo().resolve("data/diabetes").resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "No test data file " + file + "; see data/diabetes/SOURCE.md");
    }
    return file;
  }

  /** The folder of the four verified MNIST files, found or fetched once per JVM. */
  public static synchronized Path mnist() {
    if (mnist == null) {
      try {
        mnist = MnistFiles.find(repo());
      } catch (IOException e) {
        throw new UncheckedIOException("MNIST for the tests: " + e.getMessage(), e);
      }
    }
    return mnist;
  }
}
