package io.sparkgrad.engine.io;

import io.sparkgrad.engine.io.SafeTensorsHeader.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks header entries against the data region before anything is allocated: supported dtype, rank
 * at most 2, sizes that agree with the offsets, offsets inside the region, and tensors that tile
 * the region end to end with no overlap and no hole, as the reference reader requires.
 */
final class SafeTensorsLayout {
  private SafeTensorsLayout() {}

  /** A checked tensor: its bytes are {@code [begin, end)} of the data region. */
  record Slot(String name, SafeTensorsDtype dtype, int[] shape, int numel, long begin, long end) {}

  /** The entries as slots in data order; {@code dataStart} is the file offset of the region. */
  static List<Slot> check(List<Entry> entries, long dataStart, long dataLength, String source) {
    List<Slot> slots = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      slots.add(checkEntry(e, dataLength, source));
    }
    slots.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
    long covered = 0;
    Slot previous = null;
    for (Slot s : slots) {
      if (s.begin() < covered) {
        throw ModelFileException.of(
            source + ", byte " + (dataStart + s.begin()),
            "tensor "
                + ModelFileException.quote(s.name())
                + " (data bytes "
                + range(s)
                + ") overlaps tensor "
                + ModelFileException.quote(previous.name())
                + " (data bytes "
                + range(previous)
                + ")",
            "tensors laid end to end without overlap",
            SafeTensorsHeader.FIX_RESAVE);
      }
      if (s.begin() > covered) {
        String before = "before tensor " + ModelFileException.quote(s.name());
        throw hole(source, dataStart, covered, s.begin(), before);
      }
      covered = s.end();
      previous = s;
    }
    if (covered < dataLength) {
      throw hole(source, dataStart, covered, dataLength, "after the last tensor");
    }
    return slots;
  }

  private static ModelFileException hole(
      String source, long dataStart, long from, long to, String position) {
    return ModelFileException.of(
        source + ", byte " + (dataStart + from),
        "data bytes " + from + ".." + to + " " + position + " belong to no tensor",
        "tensors covering the data region from its first byte to the end of the file",
        "The file has stray bytes or a damaged header; save it again with a safetensors writer");
  }

  private static Slot checkEntry(Entry e, long dataLength, String source) {
    String where =
        source + ", tensor " + ModelFileException.quote(e.name()) + " (byte " + e.at() + ")";
    String fix = SafeTensorsHeader.FIX_RESAVE;
    requirePresent(e.dtype(), "dtype", where);
    requirePresent(e.shape(), "shape", where);
    requirePresent(e.offsets(), "data_offsets", where);
    SafeTensorsDtype dtype = SafeTensorsDtype.parse(e.dtype());
    if (dtype == null) {
      throw ModelFileException.of(
          where,
          "dtype " + ModelFileException.quote(e.dtype()) + " is not supported",
          "a floating-point dtype: F32, F64, F16 or BF16 (read as float32)",
          "Convert the tensors to float before saving, e.g. {k: v.float() for k, v in"
              + " state_dict.items()}");
    }
    long[] shape = e.shape();
    if (shape.length > 2) {
      throw ModelFileException.of(
          where,
          "shape " + Arrays.toString(shape) + " has rank " + shape.length,
          "rank 0, 1 or 2 (sparkgrad tensors are scalars, vectors or matrices)",
          "Reshape it to 2-D before saving (t.reshape(t.shape[0], -1)) or leave it out");
    }
    long numel = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] > Integer.MAX_VALUE) {
        throw ModelFileException.of(
            where,
            "dimension " + d + " of the shape is " + shape[d],
            "at most " + Integer.MAX_VALUE,
            fix);
      }
      numel = multiplyOrMinusOne(numel, shape[d]);
    }
    long bytes = multiplyOrMinusOne(numel, dtype.bytes);
    if (numel < 0 || bytes < 0 || numel > Integer.MAX_VALUE - 8) {
      throw ModelFileException.of(
          where,
          "shape " + Arrays.toString(shape) + " has more elements than a Java array can hold",
          "at most " + (Integer.MAX_VALUE - 8) + " elements",
          fix);
    }
    long[] offsets = e.offsets();
    if (offsets.length != 2) {
      throw ModelFileException.of(
          where, "data_offsets has " + offsets.length + " values", "[begin, end]", fix);
    }
    long begin = offsets[0];
    long end = offsets[1];
    String span = "data_offsets [" + begin + ", " + end + "]";
    if (begin > end) {
      throw ModelFileException.of(where, span + " end before they begin", "begin <= end", fix);
    }
    if (end > dataLength) {
      throw ModelFileException.of(
          where,
          span + " run past the end of the data region, which holds " + dataLength + " bytes",
          "end <= " + dataLength,
          "The file is truncated or its header is damaged; copy or save it again");
    }
    if (end - begin != bytes) {
      throw ModelFileException.of(
          where,
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + bytes
              + " bytes but "
              + span
              + " span "
              + (end - begin),
          "end - begin = (product of the shape) * " + dtype.bytes,
          fix);
    }
    int[] intShape = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      intShape[d] = (int) shape[d];
    }
    return new Slot(e.name(), dtype, intShape, (int) numel, begin, end);
  }

  private static void requirePresent(Object value, String field, String where) {
    if (value == null) {
      throw ModelFileException.of(
          where,
          "the entry has no '" + field + "'",
          "an object with dtype, shape and data_offsets",
          SafeTensorsHeader.FIX_RESAVE);
    }
  }

  /** {@code a * b} for non-negative factors, or -1 when it overflows. */
  private static long multiplyOrMinusOne(long a, long b) {
    if (a < 0) {
      return -1;
    }
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException overflow) {
      return -1;
    }
  }

  private static String range(Slot s) {
    return s.begin() + ".." + s.end();
  }
}
