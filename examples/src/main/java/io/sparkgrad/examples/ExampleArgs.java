package io.sparkgrad.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments, checked against the names an example accepts. */
final class ExampleArgs {
  private final Map<String, String> values = new HashMap<>();

  ExampleArgs(String[] args, Set<String> allowed) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length || !allowed.contains(a.substring(2))) {
        throw new IllegalArgumentException(
            "Unknown or incomplete argument '"
                + a
                + "'; expected --name value with name in "
                + allowed);
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    return Integer.parseInt(get(name, Integer.toString(fallback)));
  }

  double getDouble(String name, double fallback) {
    return Double.parseDouble(get(name, Double.toString(fallback)));
  }
}
