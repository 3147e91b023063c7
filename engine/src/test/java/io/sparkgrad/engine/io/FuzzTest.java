package io.sparkgrad.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkgrad.engine.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated and random inputs must either load or fail with {@link ModelFileException}; any other
 * exception or error is a bug. By default each reader gets a time budget (about 5 s in all); {@code
 * -Dsparkgrad.fuzz.tries=N} runs exactly N inputs per reader instead, {@code
 * -Dsparkgrad.fuzz.seconds=S} changes the budget and {@code -Dsparkgrad.fuzz.seed=X} the seed.
 */
class FuzzTest {
  private static final long TRIES = Long.getLong("sparkgrad.fuzz.tries", 0);
  private static final double SECONDS =
      Double.parseDouble(System.getProperty("sparkgrad.fuzz.seconds", "5"));
  private static final long SEED = Long.getLong("sparkgrad.fuzz.seed", 20240601);

  @TempDir Path dir;
  private int calls;

  @Test
  void safetensorsReaderOnlyEverThrowsModelFileException() throws IOException {
    List<byte[]> corpus = safetensorsCorpus();
    run(
        "safetensors",
        0.6,
        corpus,
        true,
        bytes -> {
          SafeTensors.Contents c = SafeTensors.fromBytes(bytes, "fuzz");
          // Whatever loads must survive a write and a read unchanged.
          byte[] again = SafeTensors.toBytes(c.tensors(), c.metadata());
          SafeTensors.Contents d = SafeTensors.fromBytes(again, "again");
          assertArrayEquals(again, SafeTensors.toBytes(d.tensors(), d.metadata()));
        });
  }

  @Test
  void idxReaderOnlyEverThrowsModelFileException() {
    byte[] raw = TestFiles.concat(TestFiles.idxHeader(0x08, 3, 2, 2), new byte[12]);
    run(
        "idx",
        0.2,
        List.of(raw, TestFiles.gzip(raw)),
        false,
        bytes -> {
          // Mostly in memory for speed; now and then through a file, where the size is known.
          if ((calls++ & 63) == 0) {
            IdxReader.read(TestFiles.write(dir, "fuzz.idx", bytes));
          } else {
            IdxReader.read(new ByteArrayInputStream(bytes), "fuzz", IdxReader.DEFAULT_MAX_BYTES);
          }
        });
  }

  @Test
  void csvReaderOnlyEverThrowsModelFileException() {
    byte[] text = "1,2.5,-3e2,0\r\n4,5,6,1\r\n-0.5,.5,7.,0".getBytes(StandardCharsets.US_ASCII);
    run(
        "csv",
        0.2,
        List.of(text, TestFiles.gzip(text)),
        false,
        bytes -> {
          if ((calls++ & 63) == 0) {
            CsvReader.read(TestFiles.write(dir, "fuzz.csv", bytes));
          } else {
            CsvReader.read(new ByteArrayInputStream(bytes), "fuzz", CsvReader.Options.defaults());
          }
        });
  }

  /** Runs mutations of the corpus through {@code reader} for a share of the time budget. */
  private static void run(
      String name,
      double share,
      List<byte[]> corpus,
      boolean safetensors,
      Consumer<byte[]> reader) {
    SplittableRandom random = new SplittableRandom(SEED);
    Mutator mutator = new Mutator(random);
    long deadline = System.nanoTime() + (long) (SECONDS * share * 1e9);
    long inputs = 0;
    long loaded = 0;
    long rejected = 0;
    while (TRIES > 0 ? inputs < TRIES : System.nanoTime() < deadline) {
      byte[] input = mutator.mutate(corpus.get(random.nextInt(corpus.size())), safetensors);
      inputs++;
      try {
        reader.accept(input);
        loaded++;
      } catch (ModelFileException expected) {
        rejected++;
      } catch (RuntimeException | Error e) { // OutOfMemoryError and failed checks included
        fail(
            name
                + " input #"
                + inputs
                + " (seed "
                + SEED
                + ") threw "
                + e
                + "; input base64: "
                + Base64.getEncoder().encodeToString(input),
            e);
      }
    }
    System.out.printf(
        "fuzz %s: %d inputs (seed %d): %d loaded, %d rejected with ModelFileException, 0 other%n",
        name, inputs, SEED, loaded, rejected);
    assertTrue(inputs > 0 && rejected > 0, "the fuzzer ran and hit the error paths");
  }

  private List<byte[]> safetensorsCorpus() throws IOException {
    LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
    state.put("0.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    state.put("0.bias", Tensor.of(new float[] {-1, 1}, 2));
    state.put("s", Tensor.scalar(0.5f));
    state.put("e", Tensor.zeros(0));
    byte[] reference;
    try (InputStream in = getClass().getResourceAsStream("reference-numpy.safetensors")) {
      reference = in.readAllBytes();
    }
    return List.of(
        SafeTensors.toBytes(state, Map.of("format", "pt")),
        SafeTensors.toBytes(Map.of("a", Tensor.of(new float[] {1f}, 1))),
        reference);
  }
}
