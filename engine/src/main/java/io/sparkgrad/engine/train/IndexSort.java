package io.sparkgrad.engine.train;

/** A stable merge sort of an int array by a comparator, without boxing. */
final class IndexSort {
  private IndexSort() {}

  interface IntComparator {
    int compare(int a, int b);
  }

  static void sort(int[] a, IntComparator cmp) {
    int[] buf = new int[a.length];
    for (int width = 1; width < a.length; width <<= 1) {
      for (int lo = 0; lo < a.length - width; lo += width << 1) {
        int mid = lo + width;
        int hi = Math.min(lo + (width << 1), a.length);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          buf[k++] = cmp.compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
        }
        while (i < mid) {
          buf[k++] = a[i++];
        }
        while (j < hi) {
          buf[k++] = a[j++];
        }
        System.arraycopy(buf, lo, a, lo, hi - lo);
      }
    }
  }
}
