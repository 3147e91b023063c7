package io.sparkgrad.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkgrad.engine.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validates a safetensors byte array entry by entry before any tensor is allocated. */
final class SafeTensorsParser {
  private final byte[] bytes;
  private final String source;

  SafeTensorsParser(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

  SafeTensors.Contents parse() {
    if (bytes.length < 8) {
      throw fail("is " + bytes.length + " bytes, shorter than the 8-byte header length");
    }
    long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen < 2 || headerLen > SafeTensors.MAX_HEADER_BYTES || headerLen > bytes.length - 8) {
      throw fail(
          "declares a header of "
              + Long.toUnsignedString(headerLen)
              + " bytes, but the file has "
              + (bytes.length - 8)
              + " bytes after the length field (limit "
              + SafeTensors.MAX_HEADER_BYTES
              + ")");
    }
    JsonNode header = SafeTensors.readHeader(bytes, 8, (int) headerLen, source);
    if (header == null || !header.isObject()) {
      throw fail("has a header that is not a JSON object");
    }
    long dataStart = 8 + headerLen;
    long dataLen = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        readMetadata(f.getValue(), metadata);
      } else {
        entries.add(entry(f.getKey(), f.getValue(), dataLen));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    for (Entry e : entries) {
      if (e.begin() != expected) {
        throw fail(
            "tensor '"
                + e.name()
                + "' starts at data byte "
                + e.begin()
                + " but the previous tensor ends at "
                + expected
                + " (tensors must not overlap or leave holes)");
      }
      expected = e.end();
    }
    if (expected != dataLen) {
      throw fail("has " + dataLen + " data bytes but its tensors cover " + expected);
    }
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      tensors.put(e.name(), decode(e, dataStart));
    }
    return new SafeTensors.Contents(tensors, metadata);
  }

  private void readMetadata(JsonNode node, Map<String, String> out) {
    if (!node.isObject()) {
      throw fail("has __metadata__ that is not an object of strings");
    }
    node.fields()
        .forEachRemaining(
            m -> {
              if (!m.getValue().isTextual()) {
                throw fail("has __metadata__ value for '" + m.getKey() + "' that is not a string");
              }
              out.put(m.getKey(), m.getValue().asText());
            });
  }

  private static final Map<String, Integer> DTYPE_BYTES = new HashMap<>();

  static {
    DTYPE_BYTES.put("F32", 4);
    DTYPE_BYTES.put("F64", 8);
    DTYPE_BYTES.put("BF16", 2);
  }

  private Entry entry(String name, JsonNode n, long dataLen) {
    if (!n.isObject()) {
      throw fail("entry '" + name + "' is not an object with dtype, shape and data_offsets");
    }
    String dtype = n.path("dtype").asText("");
    Integer width = DTYPE_BYTES.get(dtype);
    if (width == null) {
      throw fail(
          "tensor '"
              + name
              + "' has dtype '"
              + dtype
              + "'; expected F32 (F64 and BF16 are converted); save float weights");
    }
    JsonNode shapeNode = n.path("shape");
    if (!shapeNode.isArray() || shapeNode.size() > 2) {
      throw fail(
          "tensor '"
              + name
              + "' has shape "
              + shapeNode
              + "; expected an array of at most 2 dimensions (MLP weights and biases)");
    }
    int[] shape = new int[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong()
          || !d.isIntegralNumber()
          || d.asLong() < 0
          || d.asLong() > Integer.MAX_VALUE) {
        throw fail("tensor '" + name + "' has dimension " + d + "; expected an integer >= 0");
      }
      shape[i] = (int) d.asLong();
      count *= shape[i];
      if (count > Integer.MAX_VALUE) {
        throw fail("tensor '" + name + "' has shape " + shapeNode + ", too many elements");
      }
    }
    JsonNode off = n.path("data_offsets");
    if (!off.isArray()
        || off.size() != 2
        || !off.get(0).isIntegralNumber()
        || !off.get(1).isIntegralNumber()) {
      throw fail("tensor '" + name + "' needs data_offsets [begin, end]; got " + off);
    }
    long begin = off.get(0).asLong();
    long end = off.get(1).asLong();
    if (begin < 0 || end < begin || end > dataLen) {
      throw fail(
          "tensor '"
              + name
              + "' has data_offsets ["
              + begin
              + ", "
              + end
              + "] outside the "
              + dataLen
              + " data bytes");
    }
    if (end - begin != count * width) {
      throw fail(
          "tensor '"
              + name
              + "' has shape "
              + shapeNode
              + " of "
              + dtype
              + " ("
              + count * width
              + " bytes) but data_offsets span "
              + (end - begin)
              + " bytes");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private Tensor decode(Entry e, long dataStart) {
    int n = 1;
    for (int s : e.shape()) {
      n *= s;
    }
    float[] out = new float[n];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int pos = (int) (dataStart + e.begin());
    for (int i = 0; i < n; i++) {
      switch (e.dtype()) {
        case "F32" -> out[i] = buf.getFloat(pos + 4 * i);
        case "F64" -> out[i] = (float) buf.getDouble(pos + 8 * i);
        default -> out[i] = Float.intBitsToFloat((buf.getShort(pos + 2 * i) & 0xffff) << 16);
      }
    }
    return Tensor.of(out, e.shape());
  }

  private ModelFileException fail(String what) {
    return new ModelFileException(source + " " + what + ".");
  }
}
