package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkgrad.engine.Tensor;
import io.sparkgrad.engine.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Loads the fixtures written by {@code golden/generate_goldens.py} and compares against them. */
final class Goldens {
  private Goldens() {}

  static SafeTensors.Contents load(String file) {
    URL url = Goldens.class.getResource("/golden/" + file);
    assertNotNull(url, "missing fixture golden/" + file + "; run golden/generate_goldens.py");
    try {
      return SafeTensors.load(Path.of(url.toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Tensor tensor(SafeTensors.Contents c, String name) {
    Tensor t = c.tensors().get(name);
    assertNotNull(t, "fixture has no tensor '" + name + "'; regenerate the goldens");
    return t;
  }

  static String meta(SafeTensors.Contents c, String key) {
    String v = c.metadata().get(key);
    assertNotNull(v, "fixture has no metadata '" + key + "'; regenerate the goldens");
    return v;
  }

  static double maxAbs(float[] x) {
    double m = 0;
    for (float v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * The scale for comparing an update (final - initial weights): 1e-2 of its largest entry, but
   * never below 4 ulps of the largest weight divided by {@code rtol}, since a difference of float32
   * weights cannot resolve more than an ulp or so of the weights that hold it.
   */
  static double updateScale(float[] finalWeights, float[] update, double rtol) {
    return Math.max(1e-2 * maxAbs(update), 4 * Math.ulp((float) maxAbs(finalWeights)) / rtol);
  }

  /** The median of |x|: a tensor's typical size, unmoved by a few huge or tiny entries. */
  static double medianAbs(float[] x) {
    double[] a = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      a[i] = Math.abs(x[i]);
    }
    java.util.Arrays.sort(a);
    return a.length == 0 ? 0 : a[a.length / 2];
  }

  /**
   * Fails unless |actual - expected| <= rtol * max(|expected|, scale) for every element, and
   * returns the largest |actual - expected| / max(|expected|, scale) seen.
   */
  static double assertClose(
      String what, float[] expected, float[] actual, double rtol, double scale) {
    if (expected.length != actual.length) {
      fail(what + ": " + actual.length + " values, the golden has " + expected.length);
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs((double) actual[i] - expected[i]);
      double rel = err / Math.max(Math.max(Math.abs(expected[i]), scale), Double.MIN_NORMAL);
      if (!(rel <= rtol)) {
        fail(
            String.format(
                "%s: element %d is %s, PyTorch has %s (relative error %.3g > %.3g, scale %.3g)",
                what, i, actual[i], expected[i], rel, rtol, scale));
      }
      worst = Math.max(worst, rel);
    }
    return worst;
  }

  static void assertSameShape(String what, Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
  }

  /** The largest relative error per golden, printed once per test class. */
  static final class Report {
    private final String title;
    private final Map<String, Double> worst = new TreeMap<>();

    Report(String title) {
      this.title = title;
    }

    synchronized void add(String key, double rel) {
      worst.merge(key, rel, Math::max);
    }

    synchronized void print() {
      StringBuilder sb = new StringBuilder(title).append(": max relative error vs PyTorch");
      worst.forEach((k, v) -> sb.append(String.format("%n  %-32s %.2e", k, v)));
      System.out.println(sb);
    }
  }
}
