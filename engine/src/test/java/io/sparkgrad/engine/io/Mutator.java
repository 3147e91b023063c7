package io.sparkgrad.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages valid files in the ways that reach deep into a reader: bit flips, truncations,
 * insertions, interesting bytes, and for safetensors headers replaced numbers and dtypes with the
 * length field fixed up, so that mutations get past the JSON parser into the checks behind it.
 */
final class Mutator {
  private static final byte[] INTERESTING_BYTES =
      "\0\u0001\u007f{}[]\",:- 0123456789.eE\n\r\t;".getBytes(StandardCharsets.ISO_8859_1);
  private static final String[] INTERESTING_NUMBERS = {
    "0",
    "1",
    "-1",
    "2",
    "3",
    "4",
    "7",
    "8",
    "16",
    "255",
    "65536",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "1e3",
    "1.5",
    "-0",
    "99999999999999999999999999"
  };
  private static final String[] DTYPES = {"F32", "F64", "F16", "BF16", "I64", "U8", "BOOL", ""};

  private final SplittableRandom random;

  Mutator(SplittableRandom random) {
    this.random = random;
  }

  /** One to three stacked mutations of {@code input}, or now and then plain random bytes. */
  byte[] mutate(byte[] input, boolean safetensors) {
    if (random.nextInt(20) == 0) {
      return randomBytes();
    }
    byte[] b = input.clone();
    for (int rounds = 1 + random.nextInt(3); rounds > 0; rounds--) {
      b = mutateOnce(b, safetensors);
    }
    return b;
  }

  private byte[] mutateOnce(byte[] b, boolean safetensors) {
    int choice = random.nextInt(safetensors ? 9 : 6);
    if (b.length == 0 && choice < 6) {
      return randomBytes();
    }
    switch (choice) {
      case 0:
      case 1:
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        return b;
      case 2:
        b[random.nextInt(b.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        return b;
      case 3:
        return Arrays.copyOf(b, random.nextInt(b.length));
      case 4:
        return insert(b, random.nextInt(b.length + 1), randomChunk());
      case 5:
        return remove(b, random.nextInt(b.length), 1 + random.nextInt(8));
      case 6:
        return replaceInHeader(b, INTERESTING_NUMBERS, "-?[0-9]+");
      case 7:
        return replaceInHeader(b, DTYPES, "(?<=\"dtype\":\")[A-Z0-9]*");
      default:
        return setHeaderLength(b);
    }
  }

  /** Replaces one match of {@code regex} in the header with a pick, then fixes the length. */
  private byte[] replaceInHeader(byte[] file, String[] picks, String regex) {
    if (file.length < 8) {
      return file;
    }
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > file.length - 8) {
      return file;
    }
    String header = new String(file, 8, (int) n, StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(header);
    int matches = 0;
    while (m.find()) {
      matches++;
    }
    if (matches == 0) {
      return file;
    }
    m.reset();
    for (int target = random.nextInt(matches); target >= 0; target--) {
      m.find();
    }
    String changed =
        header.substring(0, m.start())
            + picks[random.nextInt(picks.length)]
            + header.substring(m.end());
    byte[] h = changed.getBytes(StandardCharsets.UTF_8);
    byte[] data = Arrays.copyOfRange(file, (int) (8 + n), file.length);
    return TestFiles.concat(TestFiles.u64le(h.length), h, data);
  }

  private byte[] setHeaderLength(byte[] file) {
    long[] lengths = {
      0,
      1,
      7,
      file.length - 8,
      file.length - 7,
      file.length,
      100_000_001,
      Long.MAX_VALUE,
      -1,
      1L << 40,
      random.nextInt(Math.max(1, file.length))
    };
    byte[] length = TestFiles.u64le(lengths[random.nextInt(lengths.length)]);
    byte[] b = file.length < 8 ? Arrays.copyOf(file, 8) : file;
    System.arraycopy(length, 0, b, 0, 8);
    return b;
  }

  private byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(64)];
    random.nextBytes(b);
    if (b.length >= 8 && random.nextBoolean()) { // a plausible length field
      System.arraycopy(TestFiles.u64le(random.nextInt(b.length - 7)), 0, b, 0, 8);
    }
    return b;
  }

  private byte[] randomChunk() {
    byte[] chunk = new byte[1 + random.nextInt(4)];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
    }
    return chunk;
  }

  private static byte[] insert(byte[] b, int at, byte[] chunk) {
    return TestFiles.concat(Arrays.copyOf(b, at), chunk, Arrays.copyOfRange(b, at, b.length));
  }

  private static byte[] remove(byte[] b, int at, int count) {
    int end = Math.min(b.length, at + count);
    return TestFiles.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, end, b.length));
  }
}
