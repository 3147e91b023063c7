package io.sparkgrad.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppJarTest {
  @TempDir Path tmp;

  @Test
  void packsEveryDirectoryAndTheFirstCopyOfAPathWins() throws IOException {
    Path first = write(tmp.resolve("first"), "a/b/One.class", "first");
    write(first, "shared.txt", "from first");
    Path second = write(tmp.resolve("second"), "c/Two.class", "second");
    write(second, "shared.txt", "from second");

    Path jar = AppJar.build(tmp.resolve("out/app.jar"), first, second);

    try (JarFile file = new JarFile(jar.toFile())) {
      assertNotNull(file.getManifest());
      assertNotNull(file.getJarEntry("a/b/"));
      assertEquals("first", read(file, "a/b/One.class"));
      assertEquals("second", read(file, "c/Two.class"));
      assertEquals("from first", read(file, "shared.txt"));
    }
  }

  @Test
  void rejectsAMissingDirectory() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> AppJar.build(tmp.resolve("app.jar"), tmp.resolve("no-such-dir")));
    assertEquals("Not a directory of classes: " + tmp.resolve("no-such-dir"), e.getMessage());
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return dir;
  }

  private static String read(JarFile jar, String name) throws IOException {
    return new String(
        jar.getInputStream(jar.getJarEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
  }
}
