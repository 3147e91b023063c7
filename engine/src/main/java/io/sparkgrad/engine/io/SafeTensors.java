package io.sparkgrad.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sparkgrad.engine.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State dicts in the safetensors format, so weights move between sparkgrad and PyTorch both ways.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the byte
 * after the header) plus an optional {@code "__metadata__"} object of strings, then the raw data.
 *
 * <p>The writer emits float32 tensors in map order, laid out end to end, and pads the header with
 * spaces to a multiple of 8 bytes so the data starts aligned, as the reference writer does. The
 * reader trusts nothing in the file; every inconsistency becomes a {@link ModelFileException}
 * before any tensor is allocated. It reads F32, and F64, F16 and BF16 converted to float32; tensors
 * of rank above 2 are refused since {@link Tensor} stops there.
 */
public final class SafeTensors {
  /** The largest file {@link #load} reads: the largest Java byte array. */
  public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  private static final JsonFactory JSON = new JsonFactory();
  private static final int CHUNK_FLOATS = 1 << 14;

  private SafeTensors() {}

  /**
   * A loaded file.
   *
   * @param tensors the tensors in the order of their data in the file
   * @param metadata the {@code __metadata__} strings, empty when there are none; unmodifiable
   */
  public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

  public static void save(Map<String, Tensor> tensors, Path file) {
    save(tensors, Map.of(), file);
  }

  /**
   * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}. The bytes go to a
   * temporary file in the same directory that then replaces {@code file} in one atomic move, so a
   * crash never leaves a half-written model under the final name.
   */
  public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
    byte[] header = header(tensors, metadata);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        writeBody(header, tensors, out);
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The write already failed; that error is the one to report.
        }
      }
    }
  }

  public static byte[] toBytes(Map<String, Tensor> tensors) {
    return toBytes(tensors, Map.of());
  }

  /** The bytes {@link #save} would write. */
  public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    byte[] header = header(tensors, metadata);
    long size = 8L + header.length;
    for (Tensor t : tensors.values()) {
      size += 4L * t.numel();
    }
    if (size > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          "The file would be " + size + " bytes, more than a byte array holds; use save(...)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    try {
      writeBody(header, tensors, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** Reads a safetensors file of at most {@link #MAX_FILE_BYTES} bytes. */
  public static Contents load(Path file) {
    byte[] bytes;
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      if (size > MAX_FILE_BYTES) {
        throw ModelFileException.of(
            file.toString(),
            "the file is " + size + " bytes",
            "at most " + MAX_FILE_BYTES + " bytes (2 GiB, the largest Java array)",
            "Split the state dict into several files, or check that this is a model file");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && channel.read(buf) >= 0) {
        // read until full or end of file
      }
      bytes = buf.hasRemaining() ? Arrays.copyOf(buf.array(), buf.position()) : buf.array();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return fromBytes(bytes, file.toString());
  }

  /**
   * Parses a whole safetensors file held in memory.
   *
   * @param sourceName names the bytes in error messages, e.g. the file path
   */
  public static Contents fromBytes(byte[] bytes, String sourceName) {
    if (bytes.length < 8) {
      throw ModelFileException.of(
          sourceName,
          "the file is " + bytes.length + " bytes long",
          "at least 8 bytes: the header length, then the header",
          "The file is truncated or empty; copy or save it again");
    }
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > SafeTensorsHeader.MAX_HEADER_BYTES) {
      throw ModelFileException.of(
          sourceName + ", bytes 0..7",
          "the header length field says " + Long.toUnsignedString(n) + " bytes",
          "at most " + SafeTensorsHeader.MAX_HEADER_BYTES + " (the format's limit)",
          "The file is not safetensors or its first 8 bytes are damaged");
    }
    if (n > bytes.length - 8) {
      throw ModelFileException.of(
          sourceName + ", bytes 0..7",
          "the header length field says "
              + n
              + " bytes but only "
              + (bytes.length - 8)
              + " bytes follow it",
          "a header that fits in the file",
          "The file is truncated; copy or save it again");
    }
    if (n == 0 || bytes[8] != '{') {
      throw ModelFileException.of(
          sourceName + ", byte 8",
          n == 0 ? "the header is empty" : "the header starts with byte " + (bytes[8] & 0xff),
          "a JSON object starting with '{'",
          SafeTensorsHeader.FIX_RESAVE);
    }
    SafeTensorsHeader header = SafeTensorsHeader.parse(bytes, 8, (int) n, sourceName);
    long dataStart = 8 + n;
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (SafeTensorsLayout.Slot s :
        SafeTensorsLayout.check(header.entries, dataStart, bytes.length - dataStart, sourceName)) {
      int[] overflowAt = new int[1];
      float[] data = s.dtype().decode(bytes, (int) (dataStart + s.begin()), s.numel(), overflowAt);
      if (overflowAt[0] >= 0) {
        throw ModelFileException.of(
            sourceName + ", tensor " + ModelFileException.quote(s.name()),
            "element " + overflowAt[0] + " is outside the float32 range (about +-3.4e38)",
            "F64 values that float32 can hold",
            "Rescale the tensor, or convert it with .float() and decide what its extremes mean");
      }
      tensors.put(s.name(), Tensor.of(data, s.shape()));
    }
    return new Contents(tensors, Collections.unmodifiableMap(header.metadata));
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart("__metadata__");
        for (Map.Entry<String, String> m : metadata.entrySet()) {
          if (m.getKey() == null || m.getValue() == null) {
            throw new IllegalArgumentException("Metadata keys and values must not be null");
          }
          g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        checkEntry(e.getKey(), e.getValue());
        long end = offset + 4L * e.getValue().numel();
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", "F32");
        g.writeArrayFieldStart("shape");
        for (int d : e.getValue().shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(end);
        g.writeEndArray();
        g.writeEndObject();
        offset = end;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot encode the header: " + e.getMessage(), e);
    }
    int pad = (8 - json.size() % 8) % 8;
    for (int i = 0; i < pad; i++) {
      json.write(' ');
    }
    return json.toByteArray();
  }

  private static void checkEntry(String name, Tensor tensor) {
    if (name == null || tensor == null) {
      throw new IllegalArgumentException("Tensor names and tensors must not be null");
    }
    if (name.equals("__metadata__")) {
      throw new IllegalArgumentException(
          "'__metadata__' is reserved by the format for metadata; rename the tensor");
    }
  }

  private static void writeBody(byte[] header, Map<String, Tensor> tensors, OutputStream out)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length);
    out.write(buf.array(), 0, 8);
    out.write(header);
    for (Tensor t : tensors.values()) {
      float[] data = t.data();
      for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, data.length - from);
        buf.clear();
        buf.asFloatBuffer().put(data, from, n);
        out.write(buf.array(), 0, 4 * n);
      }
    }
    out.flush();
  }
}
