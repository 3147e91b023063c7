package io.sparkgrad.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the JSON header of a safetensors file with a streaming parser, so memory stays
 * proportional to the entries kept, and checks the JSON types as it reads. {@link
 * SafeTensorsLayout} then checks the values against the data region.
 */
final class SafeTensorsHeader {
  /** The reference implementation's bound on the header, which this reader shares. */
  static final long MAX_HEADER_BYTES = 100_000_000;

  /**
   * Bounds the entries kept in memory: a 100 MB header of empty tensors could otherwise list
   * millions. MLP state dicts hold a few dozen tensors, large language-model shards thousands.
   */
  static final int MAX_TENSORS = 100_000;

  static final String FIX_RESAVE =
      "The file is damaged or was not written by a safetensors writer; save it again"
          + " (safetensors.torch.save_file or SafeTensors.save)";

  /**
   * The document's length, and so every name's, is bounded by the header's size, checked before
   * parsing ({@link SafeTensors}); the constraints here are those Jackson 2.15 (Spark 3.5's) has.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(16)
                  .maxNumberLength(32)
                  .maxStringLength((int) MAX_HEADER_BYTES)
                  .build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /**
   * One tensor as the header describes it, not yet checked against the data; any field may be null
   * when it was missing. {@code at} is the file offset of the name, for messages.
   */
  record Entry(String name, long at, String dtype, long[] shape, long[] offsets) {}

  final List<Entry> entries = new ArrayList<>();
  final Map<String, String> metadata = new LinkedHashMap<>();

  private final String source;
  private final int start;
  private JsonParser parser;

  private SafeTensorsHeader(String source, int start) {
    this.source = source;
    this.start = start;
  }

  /** Parses the {@code length} header bytes at {@code offset} of {@code file}. */
  static SafeTensorsHeader parse(byte[] file, int offset, int length, String source) {
    checkUtf8(file, offset, length, source);
    SafeTensorsHeader header = new SafeTensorsHeader(source, offset);
    try (JsonParser p = JSON.createParser(file, offset, length)) {
      header.parser = p;
      header.readRoot();
    } catch (JacksonException e) {
      // Limit violations carry no location; the parser's is its read-ahead end, not the cause.
      JsonLocation at = e.getLocation();
      String where =
          at == null || at.getByteOffset() < 0
              ? ""
              : ", byte "
                  + (offset + at.getByteOffset())
                  + " (header line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")";
      throw ModelFileException.of(
          source + where,
          "the header is not valid JSON: " + e.getOriginalMessage(),
          "one JSON object mapping each tensor name, once, to {dtype, shape, data_offsets}",
          FIX_RESAVE);
    } catch (IOException e) {
      throw new ModelFileException(source + ": cannot parse the header: " + e.getMessage(), e);
    }
    return header;
  }

  private void readRoot() throws IOException {
    expect(parser.nextToken(), JsonToken.START_OBJECT, "the header", "a JSON object");
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      long at = tokenOffset();
      checkUnique(seen, name, "the header", "each tensor name once");
      parser.nextToken();
      if (name.equals("__metadata__")) {
        readMetadata();
      } else {
        if (entries.size() == MAX_TENSORS) {
          throw ModelFileException.of(
              source + ", byte " + at,
              "the header lists more than " + MAX_TENSORS + " tensors",
              "at most " + MAX_TENSORS + " tensors per file",
              "Split the state dict into several files");
        }
        entries.add(readEntry(name, at));
      }
    }
    expect(parser.currentToken(), JsonToken.END_OBJECT, "the header", "the end of the object");
    // Only the spaces the writer pads with may follow.
    if (parser.nextToken() != null) {
      throw ModelFileException.of(
          source + ", byte " + tokenOffset(),
          "the header has content after its JSON object",
          "only padding spaces after the closing '}'",
          FIX_RESAVE);
    }
  }

  private void readMetadata() throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(parser.currentToken(), JsonToken.START_OBJECT, "__metadata__", "an object");
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      checkUnique(seen, key, "__metadata__", "each metadata key once");
      JsonToken value = parser.nextToken();
      expect(
          value,
          JsonToken.VALUE_STRING,
          "__metadata__ key " + ModelFileException.quote(key),
          "a string value");
      metadata.put(key, parser.getText());
    }
  }

  private Entry readEntry(String name, long at) throws IOException {
    String tensor = "tensor " + ModelFileException.quote(name);
    String where = source + ", " + tensor + " (byte " + at + ")";
    expect(parser.currentToken(), JsonToken.START_OBJECT, tensor, "an object");
    String dtypeName = null;
    long[] shape = null;
    long[] offsets = null;
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      checkUnique(seen, field, tensor, "each field once");
      JsonToken value = parser.nextToken();
      switch (field) {
        case "dtype":
          expect(value, JsonToken.VALUE_STRING, "the dtype of " + tensor, "a string");
          dtypeName = parser.getText();
          break;
        case "shape":
          shape = readIntegers(where, "shape", "a rank of at most 2");
          break;
        case "data_offsets":
          offsets = readIntegers(where, "data_offsets", "two offsets [begin, end]");
          break;
        default:
          parser.skipChildren(); // unknown fields are ignored, as the reference reader does
      }
    }
    return new Entry(name, at, dtypeName, shape, offsets);
  }

  /** A JSON array of non-negative integers; at most 8 are kept, enough to report any rank. */
  private long[] readIntegers(String where, String field, String expectedCount) throws IOException {
    expect(parser.currentToken(), JsonToken.START_ARRAY, field, "an array of integers");
    long[] values = new long[8];
    int n = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      JsonToken t = parser.currentToken();
      boolean fits =
          t == JsonToken.VALUE_NUMBER_INT
              && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
      if (!fits || parser.getLongValue() < 0) {
        throw ModelFileException.of(
            where, field + " holds " + describe(t), "non-negative integers below 2^63", FIX_RESAVE);
      }
      if (n == values.length) {
        throw ModelFileException.of(
            where, field + " has more than " + n + " values", expectedCount, FIX_RESAVE);
      }
      values[n++] = parser.getLongValue();
    }
    return Arrays.copyOf(values, n);
  }

  private String describe(JsonToken t) throws IOException {
    if (t == null) {
      return "nothing: the header ends";
    }
    return t.isScalarValue() ? ModelFileException.quote(parser.getText()) : t.name();
  }

  private void expect(JsonToken got, JsonToken wanted, String what, String expected)
      throws IOException {
    if (got != wanted) {
      throw ModelFileException.of(
          source + ", byte " + tokenOffset(), what + " is " + describe(got), expected, FIX_RESAVE);
    }
  }

  /** Rejects a repeated name; a JSON parser would otherwise keep one of the two silently. */
  private void checkUnique(Set<String> seen, String name, String inside, String expected) {
    if (!seen.add(name)) {
      throw ModelFileException.of(
          source + ", byte " + tokenOffset(),
          "the name " + ModelFileException.quote(name) + " appears twice in " + inside,
          expected,
          FIX_RESAVE);
    }
  }

  /** The file offset of the current token. */
  private long tokenOffset() {
    return start + parser.currentTokenLocation().getByteOffset();
  }

  /** Rejects bytes that are not UTF-8, as the format requires, naming the first bad byte. */
  private static void checkUtf8(byte[] file, int offset, int length, String source) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(file, offset, length);
    CharBuffer out = CharBuffer.allocate(4096);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        throw ModelFileException.of(
            source + ", byte " + in.position(),
            "the header is not valid UTF-8",
            "UTF-8 JSON text",
            FIX_RESAVE);
      }
      if (r.isUnderflow()) {
        return;
      }
      out.clear();
    }
  }
}
