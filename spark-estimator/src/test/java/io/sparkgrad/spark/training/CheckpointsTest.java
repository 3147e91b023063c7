package io.sparkgrad.spark.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.io.ModelFileException;
import io.sparkgrad.engine.train.Checkpointer.Restored;
import io.sparkgrad.engine.train.EpochStats;
import io.sparkgrad.engine.train.TrainState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on the local file system: only committed, undamaged checkpoints are resumed. */
class CheckpointsTest {
  @TempDir Path dir;

  private Checkpoints checkpoints(String fingerprint) {
    return new Checkpoints(dir.toString(), 1, fingerprint, new Configuration());
  }

  /** Saves epochs 1..n of fit "fit-a"; epoch e's weights are all e. */
  private void saveEpochs(int n) {
    Checkpoints c = checkpoints("fit-a");
    List<EpochStats> epochs = new ArrayList<>();
    for (int e = 1; e <= n; e++) {
      epochs.add(new EpochStats(e - 1, 1.0 / e, Double.NaN, Double.NaN, 10, 0.1, 0.01, 0));
      Map<String, float[]> weights = new LinkedHashMap<>();
      weights.put("0.weight", new float[] {e, e, e});
      weights.put("0.bias", new float[] {e});
      Map<String, float[]> opt = new LinkedHashMap<>();
      opt.put("step", new float[] {e * 4});
      c.save(e, new TrainState(weights, opt), epochs);
    }
  }

  private Path folder(int epoch) {
    return dir.resolve(String.format("epoch-%06d", epoch));
  }

  private static void assertRestoredEpoch(int epoch, Restored r) {
    assertEquals(epoch, r.epochsDone());
    assertEquals(epoch, r.epochs().size());
    assertArrayEquals(new float[] {epoch, epoch, epoch}, r.state().weights().get("0.weight"));
    assertArrayEquals(new float[] {epoch}, r.state().weights().get("0.bias"));
    assertArrayEquals(new float[] {epoch * 4}, r.state().opt().get("step"));
  }

  @Test
  void newestCommittedCheckpointWins() throws IOException {
    saveEpochs(3);
    assertTrue(Files.exists(folder(3).resolve(Checkpoints.MARKER)));
    assertRestoredEpoch(3, checkpoints("fit-a").latest());
  }

  @Test
  void emptyOrMissingDirHasNoCheckpoint() throws IOException {
    assertNull(checkpoints("fit-a").latest());
    assertNull(
        new Checkpoints(dir.resolve("absent").toString(), 1, "fit-a", new Configuration())
            .latest());
  }

  @Test
  void checkpointWithoutMarkerIsIgnored() throws IOException {
    saveEpochs(2);
    // Epoch 2's files arrived (a rename copied them) but its marker was never written.
    Files.delete(folder(2).resolve(Checkpoints.MARKER));
    Files.deleteIfExists(folder(2).resolve("." + Checkpoints.MARKER + ".crc"));
    assertRestoredEpoch(1, checkpoints("fit-a").latest());

    // A folder holding only part of the files, with no marker, is ignored too.
    Files.createDirectories(folder(3));
    Files.copy(folder(2).resolve(Checkpoints.META), folder(3).resolve(Checkpoints.META));
    assertRestoredEpoch(1, checkpoints("fit-a").latest());
  }

  @Test
  void onlyUncommittedCheckpointsMeanNone() throws IOException {
    saveEpochs(1);
    Files.delete(folder(1).resolve(Checkpoints.MARKER));
    assertNull(checkpoints("fit-a").latest());
  }

  @Test
  void truncatedStateIsSkippedAndThePreviousUsed() throws IOException {
    saveEpochs(3);
    Path state = folder(3).resolve(Checkpoints.STATE);
    byte[] bytes = Files.readAllBytes(state);
    Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    // Without Hadoop's checksum file, only the marker's sha256 can tell.
    Files.deleteIfExists(folder(3).resolve("." + Checkpoints.STATE + ".crc"));
    assertRestoredEpoch(2, checkpoints("fit-a").latest());
  }

  @Test
  void corruptedStateIsSkippedAndThePreviousUsed() throws IOException {
    saveEpochs(3);
    for (int epoch : new int[] {3, 2}) {
      Path state = folder(epoch).resolve(Checkpoints.STATE);
      byte[] bytes = Files.readAllBytes(state);
      bytes[bytes.length - 1] ^= 0x55; // a weight's last byte: still a valid safetensors file
      Files.write(state, bytes);
      Files.deleteIfExists(folder(epoch).resolve("." + Checkpoints.STATE + ".crc"));
    }
    assertRestoredEpoch(1, checkpoints("fit-a").latest());
  }

  @Test
  void corruptedStateCaughtByHadoopChecksumIsSkipped() throws IOException {
    saveEpochs(2);
    Path state = folder(2).resolve(Checkpoints.STATE);
    byte[] bytes = Files.readAllBytes(state);
    bytes[bytes.length - 1] ^= 0x55; // the .crc file stays and no longer matches
    Files.write(state, bytes);
    assertRestoredEpoch(1, checkpoints("fit-a").latest());
  }

  @Test
  void damagedMarkerOrChangedMetadataIsSkipped() throws IOException {
    saveEpochs(3);
    Files.writeString(folder(3).resolve(Checkpoints.MARKER), "{not json");
    Files.deleteIfExists(folder(3).resolve("." + Checkpoints.MARKER + ".crc"));
    Path meta = folder(2).resolve(Checkpoints.META);
    Files.writeString(meta, Files.readString(meta).replace("\"epochsDone\":2", "\"epochsDone\":7"));
    Files.deleteIfExists(folder(2).resolve("." + Checkpoints.META + ".crc"));
    assertRestoredEpoch(1, checkpoints("fit-a").latest());
  }

  @Test
  void savingAnEpochAgainReplacesItsCheckpoint() throws IOException {
    saveEpochs(2);
    saveEpochs(2);
    assertRestoredEpoch(2, checkpoints("fit-a").latest());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("epoch-")).count());
    }
  }

  @Test
  void checkpointOfADifferentFitStillFails() {
    saveEpochs(2);
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> checkpoints("fit-b").latest());
    assertTrue(e.getMessage().contains("holds a checkpoint of a different fit"), e.getMessage());
  }
}
