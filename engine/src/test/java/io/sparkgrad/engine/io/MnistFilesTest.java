package io.sparkgrad.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and checking the MNIST files; the fetch itself runs wherever no copy is at hand. */
class MnistFilesTest {
  @TempDir Path tmp;

  /** Links to the four verified files (as .gz or raw, whichever the tests found) in {@code dir}. */
  private static Path linkMnist(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : MnistFiles.MD5.keySet()) {
      Path original = MnistFiles.file(TestData.mnist(), name).toAbsolutePath();
      Files.createSymbolicLink(dir.resolve(original.getFileName()), original);
    }
    return dir;
  }

  /** Removes the links before JUnit deletes the folder (which warns about each one). */
  @AfterEach
  void unlink() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void findPrefersTheSharedFolderBesideTheProject() throws IOException {
    Path shared = linkMnist(tmp.resolve("shared/data/mnist"));
    linkMnist(tmp.resolve("project/data/mnist"));

    assertEquals(shared, MnistFiles.find(tmp.resolve("project")));
  }

  @Test
  void findUsesACompleteCacheWithoutFetching() throws IOException {
    Path cache = linkMnist(tmp.resolve("project/data/mnist"));

    assertEquals(cache, MnistFiles.find(tmp.resolve("project")));
  }

  @Test
  void aFileWithOtherContentIsNamedWithItsMd5() throws IOException {
    Path dir = linkMnist(tmp.resolve("mnist"));
    Path labels = MnistFiles.file(dir, "t10k-labels-idx1-ubyte");
    Files.delete(labels);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {1, 2, 3});

    IOException e = assertThrows(IOException.class, () -> MnistFiles.locate(dir.toString()));

    assertTrue(
        e.getMessage().contains("t10k-labels-idx1-ubyte is not the original"), e.getMessage());
    assertTrue(e.getMessage().contains("MD5 5289df737df57326fcdd22597afb1fac"), e.getMessage());
    assertTrue(e.getMessage().contains("27ae3e4e09519cfbb04c329615203637"), e.getMessage());
  }

  @Test
  void aGivenFolderWithoutTheFilesIsAClearErrorAndFetchesNothing() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    IOException e = assertThrows(IOException.class, () -> MnistFiles.locate(empty.toString()));

    assertTrue(e.getMessage().startsWith("No complete MNIST files in " + empty), e.getMessage());
    try (var left = Files.list(empty)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void aTruncatedGzipIsAnErrorNamingTheFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("cut"));
    byte[] gz = TestFiles.read(MnistFiles.file(TestData.mnist(), "t10k-labels-idx1-ubyte"));
    if (gz[0] != 0x1f) {
      gz = TestFiles.gzip(gz);
    }
    Path cut = TestFiles.write(dir, "t10k-labels-idx1-ubyte.gz", Arrays.copyOf(gz, 100));

    IOException e = assertThrows(IOException.class, () -> MnistFiles.md5(cut));

    assertTrue(e.getMessage().startsWith("Cannot read " + cut), e.getMessage());
  }

  @Test
  void fileTakesTheGzipWhenThereIsOne() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("names"));
    TestFiles.write(dir, "a", "raw");

    assertEquals(dir.resolve("a"), MnistFiles.file(dir, "a"));
    TestFiles.write(dir, "a.gz", "gz");
    assertEquals(dir.resolve("a.gz"), MnistFiles.file(dir, "a"));
  }
}
