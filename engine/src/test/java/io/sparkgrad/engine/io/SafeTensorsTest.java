package io.sparkgrad.engine.io;

import static io.sparkgrad.engine.io.TestFiles.concat;
import static io.sparkgrad.engine.io.TestFiles.f32le;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  @Test
  void writesTheSpecByteForByte() {
    // One tensor "a" = [1, -2]. The header is 54 bytes of JSON padded with 2 spaces to 56, a
    // multiple of 8; then 1.0f = 00 00 80 3f and -2.0f = 00 00 00 c0, little-endian.
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
    byte[] expected =
        concat(
            new byte[] {56, 0, 0, 0, 0, 0, 0, 0},
            json.getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0});

    byte[] written = SafeTensors.toBytes(Map.of("a", Tensor.of(new float[] {1f, -2f}, 2)));

    assertArrayEquals(expected, written);
  }

  @Test
  void writesMetadataFirstThenTensorsInMapOrderEndToEnd() {
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("0.weight", Tensor.scalar(3.5f));
    tensors.put("e", Tensor.zeros(0));
    tensors.put("z", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    // 200 bytes of JSON: already a multiple of 8, so no padding.
    String json =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
            + "\"z\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]}}";
    byte[] expected =
        concat(
            new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0},
            json.getBytes(StandardCharsets.US_ASCII),
            f32le(3.5f, 1, 2, 3, 4, 5, 6));

    byte[] written = SafeTensors.toBytes(tensors, Map.of("format", "pt"));

    assertEquals(200, json.length());
    assertArrayEquals(expected, written);
  }

  @Test
  void headerIsPaddedToAMultipleOfEight() {
    for (int nameLength = 0; nameLength < 16; nameLength++) {
      byte[] bytes = SafeTensors.toBytes(Map.of("w".repeat(nameLength), Tensor.scalar(1f)));
      int headerLength = bytes[0] & 0xff;
      String header = new String(bytes, 8, headerLength, StandardCharsets.US_ASCII);
      String json = header.stripTrailing();

      assertEquals(0, headerLength % 8, "name length " + nameLength);
      assertTrue(json.endsWith("}") && header.length() - json.length() < 8, header);
      assertEquals(8 + headerLength + 4, bytes.length);
    }
  }

  @Test
  void saveThenLoadKeepsBitsShapesOrderAndMetadata() {
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("2.weight", Tensor.of(new float[] {Float.NaN, -0f, Float.MIN_VALUE, 1e-45f}, 2, 2));
    tensors.put("0.bias", Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.MAX_VALUE}, 2));
    tensors.put("scalar", Tensor.scalar(-7.25f));
    tensors.put("empty", Tensor.zeros(0, 3));
    tensors.put("名前 with \"quotes\" and \\", Tensor.of(new float[] {0.1f}, 1));
    Map<String, String> metadata = Map.of("format", "pt", "epoch", "3");
    Path file = dir.resolve("model.safetensors");

    SafeTensors.save(tensors, metadata, file);
    SafeTensors.Contents loaded = SafeTensors.load(file);

    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(loaded.tensors().keySet()));
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor got = loaded.tensors().get(e.getKey());
      assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
      assertArrayEquals(bits(e.getValue().data()), bits(got.data()), e.getKey());
    }
    assertEquals(metadata, loaded.metadata());
    assertArrayEquals(SafeTensors.toBytes(tensors, metadata), TestFiles.read(file));
  }

  @Test
  void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "an older model");

    SafeTensors.save(Map.of("w", Tensor.of(new float[] {4f}, 1)), file);

    assertEquals(4f, SafeTensors.load(file).tensors().get("w").data()[0]);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void readsAFileWrittenByTheReferenceImplementation() throws IOException {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream("reference-numpy.safetensors")) {
      bytes = in.readAllBytes();
    }

    SafeTensors.Contents c = SafeTensors.fromBytes(bytes, "reference-numpy.safetensors");

    // The reference writer orders by dtype alignment, then name; we return data order.
    assertEquals(
        List.of("f64", "0.bias", "0.weight", "empty", "scalar", "f16"),
        List.copyOf(c.tensors().keySet()));
    assertEquals(Map.of("format", "pt", "note", "ünïcode ✓"), c.metadata());
    Tensor w = c.tensors().get("0.weight");
    assertArrayEquals(new int[] {2, 3}, w.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.data());
    assertArrayEquals(new float[] {0.5f, -0.5f}, c.tensors().get("0.bias").data());
    assertEquals(0, c.tensors().get("scalar").dim());
    assertEquals(3.25f, c.tensors().get("scalar").item());
    assertArrayEquals(new int[] {0, 4}, c.tensors().get("empty").shape());
    assertArrayEquals(
        new float[] {(float) (1.0 / 3), (float) -2.5e-8, (float) 1e30},
        c.tensors().get("f64").data());
    assertArrayEquals(
        new float[] {1, -2, 65504, 0x1p-24f, Float.POSITIVE_INFINITY},
        c.tensors().get("f16").data());
  }

  @Test
  void convertsHalfAndBfloat16ExactlyToFloat() {
    // Half: 1.0, -2.0, max 65504, smallest subnormal, -0, infinity, NaN.
    // Bfloat16: the top 16 bits of the float32 pattern.
    String json =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[14,20]}}";
    byte[] data =
        concat(
            TestFiles.u16le(0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00),
            TestFiles.u16le(0x3f80, 0xc040, 0x4049));

    SafeTensors.Contents c = SafeTensors.fromBytes(TestFiles.safetensors(json, data), "half");

    float[] h = c.tensors().get("h").data();
    assertArrayEquals(
        new float[] {1f, -2f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY}, Arrays.copyOf(h, 6));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(h[4]));
    assertTrue(Float.isNaN(h[6]));
    assertArrayEquals(new float[] {1f, -3f, 3.140625f}, c.tensors().get("b").data());
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = SafeTensorsDtype.halfToFloat((short) bits);
      if (!Float.isNaN(f)) {
        assertEquals(bits, halfBitsOf(f), "half " + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void loadRefusesFilesOverTwoGibibytesBeforeReadingThem() throws IOException {
    Path huge = dir.resolve("huge.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: takes no disk space
    }

    ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.load(huge));

    assertTrue(e.getMessage().contains("3221225472 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
  }

  @Test
  void missingFileIsAnIoErrorNotAContentError() {
    assertThrows(java.io.UncheckedIOException.class, () -> SafeTensors.load(dir.resolve("absent")));
  }

  @Test
  void writerRefusesTheReservedNameAndNulls() {
    Tensor t = Tensor.scalar(1f);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of("__metadata__", t)));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    Map<String, Tensor> withNull = new LinkedHashMap<>();
    withNull.put("w", null);
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(withNull));
  }

  static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }

  /** The inverse of halfToFloat for the finite and infinite half values, written independently. */
  private static int halfBitsOf(float f) {
    int sign = Float.floatToRawIntBits(f) >>> 31 << 15;
    float a = Math.abs(f);
    if (Float.isInfinite(a)) {
      return sign | 0x7c00;
    }
    if (a < 0x1p-14f) { // subnormal or zero: a = m * 2^-24 exactly
      return sign | (int) (a / 0x1p-24f);
    }
    int exponent = Math.getExponent(a);
    int mantissa = (int) ((a / Math.scalb(1f, exponent) - 1f) * 1024f);
    return sign | (exponent + 15) << 10 | mantissa;
  }
}
