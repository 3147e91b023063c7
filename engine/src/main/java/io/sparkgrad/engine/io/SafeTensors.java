package io.sparkgrad.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkgrad.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State dicts in the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data. PyTorch reads
 * what {@link #save} writes with {@code safetensors.torch.load_file}.
 *
 * <p>{@link #fromBytes} treats the file as untrusted: every size and offset is checked before
 * anything is allocated or copied, and any problem becomes a {@link ModelFileException}.
 */
public final class SafeTensors {
  /** Header size limit, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(16)
                          .maxStringLength(1 << 20)
                          .maxNumberLength(32)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .build();

  private SafeTensors() {}

  /** Tensors in file order and the free-form string metadata. */
  public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

  public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
    save(tensors, Map.of(), file);
  }

  /** Writes atomically: a temporary file in the same folder, then a rename. */
  public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, toBytes(tensors, metadata));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static Contents load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 8) {
      throw new ModelFileException(
          file + " is " + size + " bytes; files over 2 GiB are not supported.");
    }
    return fromBytes(Files.readAllBytes(file), file.toString());
  }

  public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (int s : e.getValue().shape()) {
        shape.add(s);
      }
      long end = offset + 4L * e.getValue().numel();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException("Could not encode a safetensors header", e);
    }
    // Pad the header with spaces so the data starts 8-byte aligned, as the reference does.
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset));
    buf.order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      buf.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      for (float v : t.data()) {
        buf.putFloat(v);
      }
    }
    return buf.array();
  }

  public static Contents fromBytes(byte[] bytes, String source) {
    return new SafeTensorsParser(bytes, source).parse();
  }

  static JsonNode readHeader(byte[] bytes, int from, int length, String source) {
    try {
      return JSON.readTree(new String(bytes, from, length, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelFileException(
          source
              + ": the safetensors header is not valid JSON ("
              + e.getMessage().split("\n")[0]
              + "); the file is corrupt or not a safetensors file.");
    }
  }
}
