package io.sparkgrad.engine.io;

import static io.sparkgrad.engine.io.TestFiles.concat;
import static io.sparkgrad.engine.io.TestFiles.f32le;
import static io.sparkgrad.engine.io.TestFiles.safetensors;
import static io.sparkgrad.engine.io.TestFiles.u64le;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkgrad.engine.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a safetensors file can be wrong, each with the words its message must contain. */
class SafeTensorsCorruptTest {

  /** An entry's JSON. */
  static String entry(String name, String dtype, String shape, String offsets) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":"
        + offsets
        + "}";
  }

  static byte[] file(String json, int dataBytes) {
    return safetensors(json, new byte[dataBytes]);
  }

  static Arguments corrupt(String label, byte[] bytes, String... messageParts) {
    return Arguments.of(label, bytes, messageParts);
  }

  static Stream<Arguments> corruptFiles() {
    String a8 = entry("a", "F32", "[2]", "[0,8]");
    return Stream.of(
        corrupt(
            "shorter than the length field",
            new byte[] {1, 2, 3},
            "3 bytes long",
            "at least 8 bytes"),
        corrupt(
            "header length 2^63-1",
            concat(u64le(Long.MAX_VALUE), "{}".getBytes()),
            "header length field says 9223372036854775807",
            "at most 100000000"),
        corrupt(
            "header length 2^64-1",
            concat(u64le(-1), "{}".getBytes()),
            "18446744073709551615",
            "at most 100000000"),
        corrupt(
            "header length 2^40",
            concat(u64le(1L << 40), "{}".getBytes()),
            "1099511627776",
            "at most 100000000"),
        corrupt(
            "header length beyond the file",
            concat(u64le(100), "{\"a\":1}".getBytes()),
            "says 100 bytes but only 7 bytes follow",
            "truncated"),
        corrupt("empty header", u64le(0), "header is empty", "'{'"),
        corrupt("header not an object", file("[1,2]", 0), "starts with byte 91", "'{'"),
        corrupt(
            "bad JSON",
            file("{\"a\":{\"dtype\":\"F32\",", 0),
            "not valid JSON",
            "byte 28 (header line 1, column 21)"),
        corrupt("content after the object", file("{} {}", 0), "content after"),
        corrupt(
            "header not UTF-8",
            concat(u64le(6), new byte[] {'{', '"', (byte) 0xff, '"', ':', '1'}),
            "not valid UTF-8",
            "byte 10"),
        corrupt(
            "dtype I64",
            file("{" + entry("a", "I64", "[2]", "[0,16]") + "}", 16),
            "tensor 'a'",
            "dtype 'I64' is not supported",
            "F32, F64, F16 or BF16",
            ".float()"),
        corrupt(
            "dtype not a string",
            file("{\"a\":{\"dtype\":4,\"shape\":[]," + "\"data_offsets\":[0,4]}}", 4),
            "the dtype of tensor 'a' is '4'",
            "a string"),
        corrupt(
            "shape and offsets disagree",
            file("{" + entry("w", "F32", "[2,3]", "[0,20]") + "}", 20),
            "tensor 'w'",
            "needs 24 bytes",
            "span 20"),
        corrupt(
            "overlapping tensors",
            file(
                "{"
                    + entry("a", "F32", "[2]", "[0,8]")
                    + ","
                    + entry("b", "F32", "[2]", "[4,12]")
                    + "}",
                12),
            "'b'",
            "overlaps tensor 'a'"),
        corrupt(
            "hole between tensors",
            file(
                "{"
                    + entry("a", "F32", "[1]", "[0,4]")
                    + ","
                    + entry("b", "F32", "[1]", "[8,12]")
                    + "}",
                12),
            "data bytes 4..8 before tensor 'b' belong to no tensor"),
        corrupt(
            "bytes after the last tensor",
            file("{" + a8 + "}", 12),
            "data bytes 8..12 after the last tensor"),
        corrupt("no tensor but data", file("{}", 4), "data bytes 0..4"),
        corrupt(
            "negative dimension",
            file("{" + entry("a", "F32", "[-1]", "[0,0]") + "}", 0),
            "shape holds '-1'",
            "non-negative"),
        corrupt(
            "fractional dimension",
            file("{" + entry("a", "F32", "[2.0]", "[0,8]") + "}", 8),
            "shape holds '2.0'"),
        corrupt(
            "dimension beyond int",
            file("{" + entry("a", "F32", "[0,4294967296]", "[0,0]") + "}", 0),
            "dimension 1 of the shape is 4294967296"),
        corrupt(
            "shape product overflow",
            file("{" + entry("a", "F64", "[2147483647,2147483647]", "[0,8]") + "}", 8),
            "more elements than a Java array"),
        corrupt(
            "rank 3",
            file("{" + entry("conv", "F32", "[2,1,1]", "[0,8]") + "}", 8),
            "tensor 'conv'",
            "shape [2, 1, 1] has rank 3",
            "rank 0, 1 or 2",
            "reshape"),
        corrupt(
            "rank 9",
            file("{" + entry("a", "F32", "[1,1,1,1,1,1,1,1,1]", "[0,4]") + "}", 4),
            "shape has more than 8 values"),
        corrupt(
            "offsets past the end",
            file("{" + entry("a", "F32", "[100]", "[0,400]") + "}", 8),
            "data_offsets [0, 400] run past the end",
            "holds 8 bytes"),
        corrupt(
            "offsets reversed",
            file("{" + entry("a", "F32", "[0]", "[8,4]") + "}", 8),
            "end before they begin"),
        corrupt(
            "three offsets",
            file("{" + entry("a", "F32", "[1]", "[0,4,8]") + "}", 4),
            "data_offsets has 3 values"),
        corrupt(
            "offset beyond long",
            file("{" + entry("a", "F32", "[1]", "[0,99999999999999999999]") + "}", 4),
            "data_offsets holds '99999999999999999999'"),
        corrupt("entry not an object", file("{\"a\":5}", 0), "tensor 'a' is '5'", "an object"),
        corrupt(
            "entry missing dtype",
            file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
            "has no 'dtype'"),
        corrupt("duplicate tensor", file("{" + a8 + "," + a8 + "}", 8), "'a' appears twice"),
        corrupt(
            "duplicate field",
            file(
                "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\","
                    + "\"shape\":[2],\"data_offsets\":[0,8]}}",
                8),
            "'dtype' appears twice in tensor 'a'"),
        corrupt(
            "metadata twice",
            file("{\"__metadata__\":{},\"__metadata__\":{}}", 0),
            "'__metadata__' appears twice"),
        corrupt(
            "metadata value not a string",
            file("{\"__metadata__\":{\"k\":1}}", 0),
            "__metadata__ key 'k' is '1'",
            "a string"),
        corrupt(
            "metadata not an object",
            file("{\"__metadata__\":[]}", 0),
            "__metadata__ is START_ARRAY"),
        corrupt(
            "nesting bomb",
            file("{\"a\":{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}}", 0),
            "not valid JSON",
            "nesting depth"),
        corrupt(
            "F64 beyond float32",
            safetensors("{" + entry("a", "F64", "[1]", "[0,8]") + "}", TestFiles.f64le(1e300)),
            "element 0 is outside the float32 range"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptFiles")
  void rejectsWithAMessageThatSaysWhatAndWhere(String label, byte[] bytes, String[] parts) {
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> SafeTensors.fromBytes(bytes, "bad.st"));

    String message = e.getMessage();
    assertTrue(message.startsWith("bad.st"), message);
    assertTrue(message.contains("; expected "), message);
    for (String part : parts) {
      assertTrue(message.contains(part), "missing '" + part + "' in: " + message);
    }
  }

  @Test
  void everyTruncationOfAValidFileIsRejected() {
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("0.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    tensors.put("0.bias", Tensor.of(new float[] {7, 8}, 2));
    byte[] valid = SafeTensors.toBytes(tensors, Map.of("format", "pt"));
    SafeTensors.fromBytes(valid, "valid"); // the whole file loads

    for (int length = 0; length < valid.length; length++) {
      byte[] cut = Arrays.copyOf(valid, length);
      ModelFileException e =
          assertThrows(
              ModelFileException.class,
              () -> SafeTensors.fromBytes(cut, "cut"),
              "truncated to " + length + " bytes");
      assertTrue(e.getMessage().startsWith("cut"), e.getMessage());
    }
  }

  @Test
  void aHostileNameIsCutAndEscapedInTheMessage() {
    String name = "evil\\nFAKE LOG LINE " + "x".repeat(10_000);
    byte[] bytes = file("{" + entry(name, "I64", "[1]", "[0,8]") + "}", 8);

    ModelFileException e =
        assertThrows(ModelFileException.class, () -> SafeTensors.fromBytes(bytes, "f"));

    assertTrue(e.getMessage().contains("tensor 'evil\\u000aFAKE LOG LINE xxx"), e.getMessage());
    assertTrue(e.getMessage().contains("x...'"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }

  @Test
  void theNumberOfTensorsIsBounded() {
    int max = SafeTensorsHeader.MAX_TENSORS;
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i <= max; i++) {
      json.append(i == 0 ? "" : ",").append(entry("t" + i, "F32", "[0]", "[0,0]"));
    }
    byte[] tooMany = file(json.append('}').toString(), 0);
    String justEnough = json.substring(0, json.lastIndexOf(",\"t" + max + "\"")) + "}";

    ModelFileException e =
        assertThrows(ModelFileException.class, () -> SafeTensors.fromBytes(tooMany, "f"));

    assertTrue(e.getMessage().contains("more than 100000 tensors"), e.getMessage());
    assertTrue(SafeTensors.fromBytes(file(justEnough, 0), "f").tensors().size() == max);
  }

  @Test
  void unknownFieldsAreIgnoredAsByTheReferenceReader() {
    String json =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],"
            + "\"extra\":{\"nested\":[1,2]}}}";

    SafeTensors.Contents c = SafeTensors.fromBytes(safetensors(json, f32le(9f)), "extra");

    assertTrue(c.tensors().get("a").data()[0] == 9f);
  }

  @Test
  void messagesPointAtTheByteOfTheBadEntry() {
    String json =
        "{" + entry("ok", "F32", "[1]", "[0,4]") + "," + entry("bad", "U8", "[1]", "[4,5]") + "}";
    byte[] bytes = safetensors(json, new byte[5]);
    long at = 8 + json.indexOf("\"bad\"");

    ModelFileException e =
        assertThrows(ModelFileException.class, () -> SafeTensors.fromBytes(bytes, "f"));

    assertTrue(e.getMessage().contains("tensor 'bad' (byte " + at + ")"), e.getMessage());
    assertTrue(new String(bytes, (int) at, 5, StandardCharsets.UTF_8).equals("\"bad\""));
  }
}
