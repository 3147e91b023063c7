package io.sparkgrad.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A value that Spark moves as Java-serialized bytes, whatever {@code spark.serializer} is. Spark
 * ships broadcasts and task results with that serializer, and the Kryo 4 it brings cannot write
 * Java records (our states and results are records): wrapped, Kryo only sees a byte array. Decoded
 * once per instance, so tasks sharing a broadcast in one executor share the value.
 */
public final class JavaSerialized<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient volatile T value;

  private JavaSerialized(byte[] bytes, T value) {
    this.bytes = bytes;
    this.value = value;
  }

  public static <T extends Serializable> JavaSerialized<T> of(T value) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not serialize " + value.getClass().getName(), e);
    }
    return new JavaSerialized<>(buffer.toByteArray(), value);
  }

  @SuppressWarnings("unchecked")
  public T get() {
    T v = value;
    if (v == null) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        v = (T) in.readObject();
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("Could not deserialize a sparkgrad payload", e);
      }
      value = v;
    }
    return v;
  }
}
