package io.sparkgrad.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The performance targets a benchmark checks, printed at its end as met or missed by how much. */
final class Targets {
  private final List<String> lines = new ArrayList<>();

  /** A measured value against an upper limit ({@code atMost}) or a lower one. */
  void check(String what, double measured, double limit, boolean atMost, String unit) {
    boolean met = atMost ? measured <= limit : measured >= limit;
    String verdict =
        met
            ? "met"
            : String.format("MISSED by %.1f%%", 100 * Math.abs(measured - limit) / Math.abs(limit));
    lines.add(
        String.format(
            "  %-66s %8.3f %-3s (target %s %.3f)  %s",
            what, measured, unit, atMost ? "<=" : ">=", limit, verdict));
  }

  /** A figure measured by another program, so the reader knows where to find it. */
  void elsewhere(String what, String command) {
    lines.add(String.format("  %-66s measured by %s", what, command));
  }

  void print() {
    System.out.println("\nTargets:");
    lines.forEach(System.out::println);
  }

  /** The largest of {@code values} from index {@code from} on (the warm epochs). */
  static double max(List<Double> values, int from) {
    return Arrays.stream(from(values, from)).max().orElse(Double.NaN);
  }

  static double median(List<Double> values, int from) {
    double[] v = from(values, from);
    Arrays.sort(v);
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double[] from(List<Double> values, int from) {
    return values.subList(Math.min(from, values.size()), values.size()).stream()
        .mapToDouble(Double::doubleValue)
        .toArray();
  }
}
