package io.sparkgrad.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fixture generator's SplitMix64, checked against its published first output and the JDK. */
class SplitMix64Test {

  @Test
  void firstOutputOfSeedZeroIsTheReferenceValue() {
    assertEquals(0xE220A8397B1DCDAFL, SplitMix64.at(0, 0));
  }

  @Test
  void equalsTheJdkSplittableRandomStream() {
    // SplittableRandom(seed).nextLong() is the same mix of seed + k * GAMMA.
    for (long seed : new long[] {0, 1, 1000, 2000, -7}) {
      SplittableRandom jdk = new SplittableRandom(seed);
      for (int i = 0; i < 100; i++) {
        assertEquals(jdk.nextLong(), SplitMix64.at(seed, i), "seed " + seed + " index " + i);
      }
    }
  }

  @Test
  void floatsAndLabelsStayInRange() {
    float[] u = SplitMix64.uniform(5, 10_000, -0.25, 0.25);
    float[] y = SplitMix64.labels(5, 10_000, 10);
    int[] counts = new int[10];
    for (int i = 0; i < u.length; i++) {
      assertTrue(u[i] >= -0.25f && u[i] < 0.25f, "value " + u[i]);
      assertEquals(Math.rint(y[i]), y[i]);
      counts[(int) y[i]]++;
    }
    for (int c : counts) {
      assertTrue(c > 800 && c < 1200, "labels spread over all classes: " + c);
    }
  }
}
