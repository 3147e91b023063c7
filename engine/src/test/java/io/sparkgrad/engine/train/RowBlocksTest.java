package io.sparkgrad.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowBlocksTest {

  /** Rows of {@code width} floats, many identical, so ties in the key order are exercised. */
  private static List<float[]> rows(int n, int width) {
    List<float[]> out = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      float[] row = new float[width];
      for (int j = 0; j < width; j++) {
        row[j] = i % 7 == 0 ? 1f : r.nextInt(5);
      }
      out.add(row);
    }
    return out;
  }

  private static RowBlocksBuilder build(List<float[]> rows, int width) {
    RowBlocksBuilder b = new RowBlocksBuilder(width - 1, 1, false);
    for (float[] row : rows) {
      b.add(row, RowKeys.key(11, row, width, false));
    }
    return b;
  }

  private static float[][] read(RowBlocks blocks) {
    int d = blocks.inputSize();
    float[][] out = new float[blocks.size()][d + 1];
    for (int i = 0; i < blocks.size(); i++) {
      blocks.read(i, out[i], 0, out[i], d);
    }
    return out;
  }

  @Test
  void anyArrivalOrderGivesTheSameRowsInTheSameOrderAcrossBlocks() {
    int width = 1000; // 262 rows per block: 3000 rows span 12 blocks
    List<float[]> rows = rows(3000, width);
    RowBlocksBuilder first = build(rows, width);
    RowBlocks a = first.build();
    List<float[]> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(5));
    RowBlocksBuilder second = build(shuffled, width);
    RowBlocks b = second.build();
    assertEquals(3000, a.size());
    assertTrue(a.blocks().size() > 10, "blocks " + a.blocks().size());
    assertEquals(first.checksum(), second.checksum());
    float[][] ra = read(a);
    float[][] rb = read(b);
    for (int i = 0; i < ra.length; i++) {
      assertArrayEquals(ra[i], rb[i], "row " + i);
    }
    for (float[] block : a.blocks()) {
      assertTrue(block.length <= RowBlocks.BLOCK_FLOATS, "block of " + block.length);
    }
    long[] keys = new long[ra.length];
    for (int i = 0; i < ra.length; i++) {
      float[] full = new float[width];
      System.arraycopy(ra[i], 0, full, 0, width);
      keys[i] = RowKeys.key(11, full, width, false);
    }
    for (int i = 1; i < keys.length; i++) {
      assertTrue(keys[i - 1] <= keys[i], "keys out of order at " + i);
    }
  }

  @Test
  void packedSizeIsTheRowsPlusNoSpareBlock() {
    RowBlocks blocks = build(rows(1000, 10), 10).build();
    assertEquals(1000L * 10, blocks.floats());
  }

  @Test
  void keysDealRowsEvenlyAndWeightsDoNotMoveRows() {
    int[] counts = new int[8];
    for (int i = 0; i < 8000; i++) {
      float[] row = {i % 10, i / 10, 1, 0, 1, 0}; // distinct rows, sorted as a table often is
      counts[RowKeys.worker(RowKeys.key(1, row, 5, false), 8)]++;
    }
    for (int c : counts) {
      assertTrue(Math.abs(c - 1000) < 150, "worker rows " + c);
    }
    float[] row = {1, 2, 3, 4, 5, 0.5f};
    float[] heavier = {1, 2, 3, 4, 5, 9f};
    assertEquals(RowKeys.key(1, row, 5, false), RowKeys.key(1, heavier, 5, false));
    assertNotEquals(RowKeys.key(1, row, 5, false), RowKeys.key(2, row, 5, false));
    assertNotEquals(RowKeys.key(1, row, 5, false), RowKeys.key(1, row, 5, true));
  }

  @Test
  void weightsAreReadBack() {
    RowBlocksBuilder b = new RowBlocksBuilder(2, 1, true);
    b.add(new float[] {1, 2, 0, 0.25f}, 5);
    b.add(new float[] {3, 4, 1, 2f}, 1);
    RowBlocks blocks = b.build();
    assertTrue(blocks.hasWeights());
    assertEquals(2f, blocks.weight(0)); // key 1 sorts first
    assertEquals(0.25f, blocks.weight(1));
  }
}
