package org.chorus.math;

import java.util.HashMap;
import java.util.Map;

/** Adjusted Rand index of two labelings (Hubert and Arabie 1985): 1 identical, about 0 for chance agreement. */
public final class AdjustedRandIndex {
  private AdjustedRandIndex() {}

  public static double of(int[] a, int[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("labelings differ in length");
    }
    Map<Long, Long> cells = new HashMap<>();
    Map<Integer, Long> rows = new HashMap<>();
    Map<Integer, Long> cols = new HashMap<>();
    for (int i = 0; i < a.length; i++) {
      cells.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1L, Long::sum);
      rows.merge(a[i], 1L, Long::sum);
      cols.merge(b[i], 1L, Long::sum);
    }
    double index = cells.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double sumRows = rows.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double sumCols = cols.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
    double total = pairs(a.length);
    double expected = total == 0 ? 0 : sumRows * sumCols / total;
    double max = (sumRows + sumCols) / 2;
    if (max == expected) {
      return 1.0;
    }
    return (index - expected) / (max - expected);
  }

  private static double pairs(long n) {
    return n * (n - 1) / 2.0;
  }
}
