package io.sparkgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two-sided gradient check: the engine's float32 forward and backward against a float64 reference
 * forward written in the test, differentiated by central finite differences. The engine itself is
 * never finite-differenced: float32 round-off divided by a small step would swamp the gradient.
 *
 * <p>Inputs are drawn as doubles, rounded to float, and both sides see the same rounded values, so
 * the only differences left are the engine's float32 arithmetic and the truncation error of the
 * differences (O(h^2) with h = 1e-6 in float64, far below the tolerances).
 */
public final class GradCheck {
  /** The engine computation under test, on tensors built from the inputs. */
  @FunctionalInterface
  public interface EngineFn {
    Tensor apply(Tensor[] inputs);
  }

  /** The same computation in float64, returning the output flattened row-major. */
  @FunctionalInterface
  public interface ReferenceFn {
    double[] apply(double[][] inputs);
  }

  /** Relative tolerance of the forward values, against max(|ref|, 1e-3 * max |ref|). */
  static final double FORWARD_RTOL = 1e-4;

  /** Relative tolerance of the gradients, against max(|numeric|, 1e-2 * max |numeric|). */
  static final double GRAD_RTOL = 2e-3;

  private static final double STEP = 1e-6;

  private final String name;
  private final int[][] shapes;
  private final double[][] values;
  private final boolean[] wrt;
  private final double forwardRtol;

  private GradCheck(
      String name, int[][] shapes, double[][] values, boolean[] wrt, double forwardRtol) {
    this.name = name;
    this.shapes = shapes;
    this.values = values;
    this.wrt = wrt;
    this.forwardRtol = forwardRtol;
  }

  /**
   * Starts a check; add inputs with {@link Builder#input} and run it with {@link Builder#check}.
   */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects the inputs of one check. */
  public static final class Builder {
    private final String name;
    private final List<int[]> shapes = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<Boolean> wrt = new ArrayList<>();
    private double forwardRtol = FORWARD_RTOL;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Loosens the forward tolerance, for inputs whose float32 rounding alone (an ulp of a large
     * logit) moves the output by more than the default.
     */
    public Builder forwardTolerance(double rtol) {
      forwardRtol = rtol;
      return this;
    }

    /** An input the gradient is checked for (it gets requiresGrad(true)). */
    public Builder input(double[] data, int... shape) {
      return add(data, shape, true);
    }

    /** An input that takes no gradient (a target, or a weight held constant). */
    public Builder constant(double[] data, int... shape) {
      return add(data, shape, false);
    }

    private Builder add(double[] data, int[] shape, boolean grad) {
      double[] rounded = new double[data.length];
      for (int i = 0; i < data.length; i++) {
        rounded[i] = (float) data[i];
      }
      shapes.add(shape);
      values.add(rounded);
      wrt.add(grad);
      return this;
    }

    /**
     * Runs the engine forward, checks it against the reference, back-propagates a random upstream
     * gradient drawn from {@code rng} and checks every input's gradient.
     */
    public void check(SplittableRandom rng, EngineFn engine, ReferenceFn reference) {
      boolean[] w = new boolean[wrt.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = wrt.get(i);
      }
      new GradCheck(
              name, shapes.toArray(new int[0][]), values.toArray(new double[0][]), w, forwardRtol)
          .run(rng, engine, reference);
    }
  }

  private void run(SplittableRandom rng, EngineFn engine, ReferenceFn reference) {
    Tensor[] tensors = new Tensor[values.length];
    for (int i = 0; i < values.length; i++) {
      float[] f = new float[values[i].length];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) values[i][j];
      }
      tensors[i] = Tensor.of(f, shapes[i]).requiresGrad(wrt[i]);
    }
    Tensor out = engine.apply(tensors);
    double[] expected = reference.apply(values);
    assertEquals(expected.length, out.numel(), name + ": output size");
    assertClose(name + " forward", expected, out.data(), forwardRtol, 1e-3);

    double[] upstream = new double[expected.length];
    float[] upstreamF = new float[expected.length];
    for (int i = 0; i < upstream.length; i++) {
      // Away from zero, in both signs, so a dropped or flipped upstream factor shows.
      double u = (0.5 + rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
      upstreamF[i] = (float) u;
      upstream[i] = upstreamF[i];
    }
    out.backward(upstreamF);

    for (int i = 0; i < values.length; i++) {
      if (!wrt[i]) {
        assertNull(tensors[i].grad(), name + ": input " + i + " takes no gradient");
        continue;
      }
      float[] analytic = tensors[i].grad();
      assertNotNull(analytic, name + ": input " + i + " received no gradient");
      double[] numeric = numericGradient(reference, i, upstream);
      assertClose(name + " d/d(input " + i + ")", numeric, analytic, GRAD_RTOL, 1e-2);
    }
  }

  /** Central differences of sum(upstream * reference(inputs)) with respect to input {@code i}. */
  private double[] numericGradient(ReferenceFn reference, int which, double[] upstream) {
    double[][] x = new double[values.length][];
    for (int i = 0; i < x.length; i++) {
      x[i] = values[i].clone();
    }
    double[] grad = new double[x[which].length];
    for (int j = 0; j < grad.length; j++) {
      double orig = x[which][j];
      double h = STEP * Math.max(1, Math.abs(orig));
      x[which][j] = orig + h;
      double plus = dot(upstream, reference.apply(x));
      x[which][j] = orig - h;
      double minus = dot(upstream, reference.apply(x));
      x[which][j] = orig;
      grad[j] = (plus - minus) / (2 * h);
    }
    return grad;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Fails unless every |actual - expected| <= rtol * max(|expected|, floor * max |expected|). The
   * floor keeps elements that are tiny next to the rest of the tensor (cancellation in a sum) from
   * demanding more digits than float32 holds, while a wrong sign or a missing term still fails.
   */
  public static double assertClose(
      String what, double[] expected, float[] actual, double rtol, double floor) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      double rel = err / Math.max(Math.max(Math.abs(expected[i]), floor * scale), 1e-30);
      if (!(rel <= rtol)) {
        fail(
            String.format(
                "%s: element %d is %s, expected %s (relative error %.3g > %.3g)%n"
                    + "expected %s%nactual   %s",
                what,
                i,
                actual[i],
                expected[i],
                rel,
                rtol,
                abbreviate(expected),
                abbreviate(toDouble(actual))));
      }
      worst = Math.max(worst, rel);
    }
    return worst;
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static String abbreviate(double[] a) {
    return Arrays.toString(a.length > 12 ? Arrays.copyOf(a, 12) : a)
        + (a.length > 12 ? " (first 12 of " + a.length + ")" : "");
  }

  /** Uniform values in [lo, hi). */
  public static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = lo + (hi - lo) * rng.nextDouble();
    }
    return a;
  }

  /** Uniform values in [-hi, -lo] or [lo, hi]: away from a kink at zero. */
  public static double[] awayFromZero(SplittableRandom rng, int n, double lo, double hi) {
    double[] a = uniform(rng, n, lo, hi);
    for (int i = 0; i < n; i++) {
      if (rng.nextBoolean()) {
        a[i] = -a[i];
      }
    }
    return a;
  }

  /** A size in [lo, hi]. */
  public static int size(SplittableRandom rng, int lo, int hi) {
    return lo + rng.nextInt(hi - lo + 1);
  }
}
