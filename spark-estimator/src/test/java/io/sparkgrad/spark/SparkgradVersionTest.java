package io.sparkgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SparkgradVersionTest {
  @Test
  void isTheProjectVersionOfThePom() throws Exception {
    String pom = Files.readString(Path.of(System.getProperty("sparkgrad.repo.dir"), "pom.xml"));
    // The parent's own version is the first <version> after its artifactId.
    Matcher m =
        Pattern.compile("<artifactId>sparkgrad-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertTrue(m.find(), "no parent version in pom.xml");
    assertEquals(m.group(1), SparkgradVersion.get());
  }
}
