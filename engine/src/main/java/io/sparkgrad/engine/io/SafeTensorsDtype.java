package io.sparkgrad.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The safetensors dtypes this reader converts to float32; the names are the format's own. */
enum SafeTensorsDtype {
  F32(4),
  F64(8),
  F16(2),
  BF16(2);

  final int bytes;

  SafeTensorsDtype(int bytes) {
    this.bytes = bytes;
  }

  /** The dtype called {@code name} in a header, or null when it is not one of ours. */
  static SafeTensorsDtype parse(String name) {
    for (SafeTensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /**
   * Decodes {@code count} little-endian values starting at {@code offset} into float32. Returns the
   * index of the first F64 value outside the float32 range through {@code overflowAt[0]} (-1 when
   * none), since rounding it would silently turn a weight into infinity.
   */
  float[] decode(byte[] src, int offset, int count, int[] overflowAt) {
    ByteBuffer buf = ByteBuffer.wrap(src, offset, count * bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    overflowAt[0] = -1;
    switch (this) {
      case F32:
        buf.asFloatBuffer().get(out);
        break;
      case F64:
        for (int i = 0; i < count; i++) {
          double v = buf.getDouble();
          out[i] = (float) v;
          if (Float.isInfinite(out[i]) && !Double.isInfinite(v) && overflowAt[0] < 0) {
            overflowAt[0] = i;
          }
        }
        break;
      case F16:
        for (int i = 0; i < count; i++) {
          out[i] = halfToFloat(buf.getShort());
        }
        break;
      case BF16:
        // bfloat16 is the top half of a float32.
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
        }
        break;
      default:
        throw new AssertionError(this);
    }
    return out;
  }

  /** IEEE 754 binary16 to binary32; exact, since every half value is a float value. */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) { // infinity or NaN, payload kept
      return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
    }
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // Rebias the exponent from 15 to 127.
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
  }
}
